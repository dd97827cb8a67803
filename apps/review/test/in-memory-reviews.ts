import { ReviewEntity, ReviewError, ReviewGrant, ReviewGrantProps, ReviewProps, ReviewRepository } from '@shop/review/domain';
import { InMemoryTx, InMemoryUnitOfWork, UnitTx } from '@shop/platform/messaging';

const keyOf = (orderId: string, productId: string) => `${orderId}/${productId}`;

/** Grants and reviews by (order, product); what a unit changes is applied only if it commits. */
export class InMemoryReviewRepository extends ReviewRepository<UnitTx> {
  readonly grants = new Map<string, ReviewGrantProps>();
  readonly rows = new Map<string, ReviewProps>();

  grant(_tx: UnitTx, orderId: string, productId: string): Promise<ReviewGrant | null> {
    const grant = this.grants.get(keyOf(orderId, productId));
    return Promise.resolve(grant ? ReviewGrant.restore(grant, { used: this.rows.has(keyOf(orderId, productId)) }) : null);
  }

  addGrants(tx: UnitTx, grants: ReviewGrant[]): void {
    InMemoryTx.of(tx).stage(() => {
      for (const g of grants) {
        const key = keyOf(g.props.orderId, g.props.productId);
        if (!this.grants.has(key)) this.grants.set(key, { ...g.props });
      }
    });
  }

  add(tx: UnitTx, review: ReviewEntity): void {
    const props = { ...review.snapshot };
    const key = keyOf(props.orderId, props.productId);
    if (this.rows.has(key)) throw new ReviewError('ALREADY_REVIEWED', `product ${props.productId} was already reviewed for order ${props.orderId}`);
    InMemoryTx.of(tx).stage(() => this.rows.set(key, props));
  }
}

/** The review service's use cases on in-memory state. */
export function inMemoryReviews() {
  return { unitOfWork: new InMemoryUnitOfWork('review'), reviews: new InMemoryReviewRepository() };
}
