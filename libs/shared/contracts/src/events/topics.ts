/** `<service>.<aggregate>.v<major>`; a breaking change gets a new major. */
export const Topics = {
  catalogProducts: 'catalog.products.v1',
  /** `catalog.product-upserted` v2, beside v1 during its compatibility window (docs/messaging.md). */
  catalogProductsV2: 'catalog.products.v2',
  catalogReservations: 'catalog.reservations.v1',
  orderOrders: 'order.orders.v1',
  paymentPayments: 'payment.payments.v1',
  deliveryDeliveries: 'delivery.deliveries.v1',
  reviewReviews: 'review.reviews.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

/** Consumer group ids are the consuming service's name. */
export const ServiceNames = ['catalog', 'order', 'payment', 'delivery', 'review'] as const;
export type ServiceName = (typeof ServiceNames)[number];

/**
 * Topics a read model is rebuilt from (the order service's product snapshot,
 * the catalog's ratings): compacted, so each key's latest event is kept for
 * as long as the topic exists, whatever its age.
 */
export const CompactedTopics: readonly TopicName[] = [Topics.catalogProducts, Topics.catalogProductsV2, Topics.reviewReviews];
