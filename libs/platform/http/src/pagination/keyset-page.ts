import { decodeCursor, encodeCursor, Page } from '@shop/shared/contracts';
import { ProblemException } from '../problem/problem-details.filter';

/** Where a newest-first page resumes: the (createdAt, id) of the last row already seen. */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

/** The position in `?cursor=`, if any; a cursor this API did not hand out is a 400. */
export function cursorPosition(cursor: string | undefined): KeysetPosition | undefined {
  if (!cursor) return undefined;
  const position = decodeCursor(cursor);
  if (!position) throw new ProblemException(400, 'the cursor is not valid', { errors: [{ path: 'cursor', message: 'not a cursor from this API' }] });
  return position;
}

/** The Prisma condition for rows after a position, newest first: (createdAt, id) < position. */
export function afterPosition(position: KeysetPosition) {
  return { OR: [{ createdAt: { lt: position.createdAt } }, { createdAt: position.createdAt, id: { lt: position.id } }] };
}

/** `limit + 1` rows → a page: the extra row only tells that there is a next page. */
export function keysetPage<R extends KeysetPosition, V>(rows: R[], limit: number, view: (row: R) => V): Page<V> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(view), nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
}
