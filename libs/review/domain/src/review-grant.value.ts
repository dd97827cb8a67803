/** Who may review what: the customer an order was delivered to, one product of that order. */
export interface ReviewGrantProps {
  customerId: string;
  productId: string;
  orderId: string;
}

/**
 * The right to review one product of one delivered order, once. `used` says
 * a review was already written against it.
 */
export class ReviewGrant {
  private constructor(
    readonly props: Readonly<ReviewGrantProps>,
    readonly used: boolean,
  ) {}

  /** One unused grant per distinct product of a delivered order. */
  static forDeliveredOrder(order: { orderId: string; customerId: string; productIds: readonly string[] }): ReviewGrant[] {
    return [...new Set(order.productIds)].map(
      (productId) => new ReviewGrant({ customerId: order.customerId, productId, orderId: order.orderId }, false),
    );
  }

  static restore(props: ReviewGrantProps, state: { used: boolean }): ReviewGrant {
    return new ReviewGrant({ ...props }, state.used);
  }

  /** True when this grant is exactly the caller's right to review this product of this order. */
  covers(author: ReviewGrantProps): boolean {
    const g = this.props;
    return g.customerId === author.customerId && g.productId === author.productId && g.orderId === author.orderId;
  }
}
