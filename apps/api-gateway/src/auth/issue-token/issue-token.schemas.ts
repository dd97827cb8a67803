import { z } from 'zod';
import { ROLES } from '@shop/platform/auth';

export const issueTokenBodySchema = z
  .object({
    customerId: z.string().trim().min(1).max(200).optional(),
    role: z.enum(ROLES).optional(),
  })
  .strict();
export type IssueTokenBody = z.infer<typeof issueTokenBodySchema>;

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}
