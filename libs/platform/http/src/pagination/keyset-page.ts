// Type only: the gateway uses this library and must not load the database one.
import type { KeysetPosition } from '@shop/platform/database';
import { decodeCursor, encodeCursor, Page } from '@shop/shared/contracts';
import { ProblemException } from '../problem/problem-details.filter';

/** The position in `?cursor=`, if any; a cursor this API did not hand out is a 400. */
export function cursorPosition(cursor: string | undefined): KeysetPosition | undefined {
  if (!cursor) return undefined;
  const position = decodeCursor(cursor);
  if (!position) throw new ProblemException(400, 'the cursor is not valid', { errors: [{ path: 'cursor', message: 'not a cursor from this API' }] });
  return position;
}

/** `limit + 1` rows → a page: the extra row only tells that there is a next page. */
export function keysetPage<R extends KeysetPosition, V>(rows: R[], limit: number, view: (row: R) => V): Page<V> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(view), nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
}
