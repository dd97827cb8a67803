import { Injectable } from '@nestjs/common';
import { ReviewGrant, ReviewRepository } from '@shop/review/domain';
import type { UnitTx } from '@shop/platform/messaging';
import type { OrderDeliveredV1 } from '@shop/shared/contracts';

/**
 * A delivered order lets its customer review each product in it: one grant
 * per product, once per event (inbox) and once per (order, product) even when
 * the order service republishes the delivery under a new event id.
 */
@Injectable()
export class GrantReviewsHandler {
  constructor(private readonly reviews: ReviewRepository<UnitTx>) {}

  execute(tx: UnitTx, delivered: OrderDeliveredV1): void {
    this.reviews.addGrants(tx, ReviewGrant.forDeliveredOrder(delivered));
  }
}
