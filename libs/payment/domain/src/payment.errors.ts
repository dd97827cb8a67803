import { DomainError, DomainErrorKind } from '@shop/shared/kernel';

/** Expected failures of the payment domain, with stable codes the edges map to HTTP or dead-letter. */
export type PaymentErrorCode = 'INVALID_PAYMENT' | 'NOT_REFUNDABLE' | 'ALREADY_REFUNDED' | 'UNKNOWN_AUTHORIZATION';

export class PaymentError extends DomainError<PaymentErrorCode> {
  get kind(): DomainErrorKind {
    return this.code === 'INVALID_PAYMENT' ? 'invalid' : 'conflict';
  }
}
