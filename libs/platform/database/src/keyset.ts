/** Where a newest-first page resumes: the (createdAt, id) of the last row already seen. */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

/** The Prisma condition for rows after a position, newest first: (createdAt, id) < position. */
export function afterPosition(position: KeysetPosition) {
  return { OR: [{ createdAt: { lt: position.createdAt } }, { createdAt: position.createdAt, id: { lt: position.id } }] };
}
