import { DomainError, DomainErrorKind } from '@shop/shared/kernel';

export type OrderErrorCode =
  | 'INVALID_ORDER'
  | 'UNKNOWN_PRODUCT'
  | 'MIXED_CURRENCIES'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'NOT_FOUND'
  | 'NOT_CANCELLABLE'
  | 'ILLEGAL_TRANSITION'
  | 'ALREADY_IN_LINE';

const KINDS: Record<OrderErrorCode, DomainErrorKind> = {
  INVALID_ORDER: 'unprocessable',
  UNKNOWN_PRODUCT: 'unprocessable',
  MIXED_CURRENCIES: 'unprocessable',
  IDEMPOTENCY_KEY_REUSED: 'unprocessable',
  NOT_FOUND: 'not-found',
  NOT_CANCELLABLE: 'conflict',
  ILLEGAL_TRANSITION: 'conflict',
  ALREADY_IN_LINE: 'conflict',
};

/** Expected failures of ordering; the HTTP edge maps their kind to a status, the consumers treat a stale step as nothing to do. */
export class OrderError extends DomainError<OrderErrorCode> {
  get kind(): DomainErrorKind {
    return KINDS[this.code];
  }
}
