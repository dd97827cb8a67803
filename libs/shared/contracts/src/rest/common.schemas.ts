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

/**
 * The times the platform stores and accepts: Postgres keeps years 4713 BC to
 * 294276 AD but has no year 0, and a JavaScript Date reaches further still;
 * nothing the shop records lies outside these years, so anything else is a
 * 400 at the edge rather than an error in the database.
 */
export const EARLIEST_INSTANT = Date.UTC(1970, 0, 1);
export const LATEST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function isStorableInstant(time: number): boolean {
  return Number.isFinite(time) && time >= EARLIEST_INSTANT && time <= LATEST_INSTANT;
}

/** An ISO-8601 time with its offset, within the years the platform stores (`isStorableInstant`). */
export const instant = z.iso
  .datetime({ offset: true, abort: true })
  .refine((value) => isStorableInstant(Date.parse(value)), 'must be a time between 1970 and 9999');

/** Keyset pagination cursor: the last item's sort key, base64url-encoded. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

const CURSOR_TEXT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The position in a cursor this API handed out, decoded as strictly as it was encoded; null for anything else. */
export function decodeCursor(cursor: string): { createdAt: Date; id: string } | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const match = CURSOR_TEXT.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) return null;
  const createdAt = new Date(match[1]);
  if (!isStorableInstant(createdAt.getTime()) || createdAt.toISOString() !== match[1]) return null;
  // Only what encodeCursor makes: one spelling per position.
  if (encodeCursor(createdAt, match[2]) !== cursor) return null;
  return { createdAt, id: match[2] };
}

/** A ranked list's cursor (a search, best first): the last item's relevance, then its (createdAt, id). */
export function encodeRankedCursor(rank: number, createdAt: Date, id: string): string {
  return Buffer.from(`${rank}|${createdAt.toISOString()}|${id}`).toString('base64url');
}

const RANK_TEXT = /^(0|[1-9]\d{0,8})(\.\d{1,20})?(e-\d{1,2})?\|(.+)$/;

/** The position in a ranked cursor this API handed out; null for anything else (a plain cursor included). */
export function decodeRankedCursor(cursor: string): { rank: number; createdAt: Date; id: string } | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const match = RANK_TEXT.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) return null;
  const rank = Number(match.slice(1, 4).join(''));
  const rest = decodeCursor(Buffer.from(match[4]).toString('base64url'));
  if (!Number.isFinite(rank) || !rest || encodeRankedCursor(rank, rest.createdAt, rest.id) !== cursor) return null;
  return { rank, ...rest };
}
