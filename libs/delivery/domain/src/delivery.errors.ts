export type DeliveryErrorCode =
  | 'INVALID_DELIVERY'
  | 'ALREADY_DISPATCHED'
  | 'ALREADY_DELIVERED'
  | 'ALREADY_CANCELLED'
  | 'NOT_DISPATCHED';

/** Expected failures of the delivery domain, with stable codes the edges map to HTTP or logs. */
export class DeliveryError extends Error {
  constructor(
    readonly code: DeliveryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
