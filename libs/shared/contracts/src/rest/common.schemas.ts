import { z } from 'zod';

/** `?limit=&cursor=`: limit 1..100 (default 20); the cursor is opaque to clients. */
export const pageQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type PageQuery = z.infer<typeof pageQuerySchema>;

export const uuidParam = z.uuid();

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Keyset pagination cursor: the last item's sort key, base64url-encoded. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } | null {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !z.uuid().safeParse(id).success) return null;
  return { createdAt, id };
}
