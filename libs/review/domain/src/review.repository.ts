import type { ReviewEntity } from './review.entity';
import type { ReviewGrant } from './review-grant.value';

/**
 * Where reviews and the grants to write them are kept (the port; the
 * data-access library implements it). `Tx` is the use case's unit of work.
 */
export abstract class ReviewRepository<Tx = unknown> {
  /** The right to review this product of this order, and whether a review used it; null when there is none. */
  abstract grant(tx: Tx, orderId: string, productId: string): Promise<ReviewGrant | null>;
  /** New grants; one already there for the same (order, product) is kept as it is. */
  abstract addGrants(tx: Tx, grants: ReviewGrant[]): void;
  /** A new review; a second one for the same (order, product) fails the unit with ALREADY_REVIEWED. */
  abstract add(tx: Tx, review: ReviewEntity): void;
}
