import { DomainError, DomainErrorKind } from '@shop/shared/kernel';

/** Expected failures of the payment domain, with stable codes the edges map to HTTP or dead-letter. */
export type PaymentErrorCode = 'INVALID_PAYMENT' | 'NOT_REFUNDABLE' | 'ALREADY_REFUNDED' | 'UNKNOWN_AUTHORIZATION' | 'NOT_FOUND';

const KINDS: Record<PaymentErrorCode, DomainErrorKind> = {
  INVALID_PAYMENT: 'invalid',
  NOT_REFUNDABLE: 'conflict',
  ALREADY_REFUNDED: 'conflict',
  UNKNOWN_AUTHORIZATION: 'conflict',
  NOT_FOUND: 'not-found',
};

export class PaymentError extends DomainError<PaymentErrorCode> {
  get kind(): DomainErrorKind {
    return KINDS[this.code];
  }
}
