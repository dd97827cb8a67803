/** Expected failures of the payment domain, with stable codes the edges map to HTTP or dead-letter. */
export type PaymentErrorCode = 'INVALID_PAYMENT' | 'NOT_REFUNDABLE' | 'ALREADY_REFUNDED' | 'UNKNOWN_AUTHORIZATION';

export class PaymentError extends Error {
  constructor(
    readonly code: PaymentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PaymentError';
  }
}
