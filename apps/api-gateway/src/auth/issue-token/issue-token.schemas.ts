import { z } from 'zod';

export const issueTokenBodySchema = z
  .object({
    customerId: z.string().trim().min(1).max(200).optional(),
    // People only: the `service` role is for tokens a service signs for another, never handed out here.
    role: z.enum(['customer', 'admin']).optional(),
  })
  .strict();
export type IssueTokenBody = z.infer<typeof issueTokenBodySchema>;

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}
