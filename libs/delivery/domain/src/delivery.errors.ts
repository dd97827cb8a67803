import { DomainError, DomainErrorKind } from '@shop/shared/kernel';

export type DeliveryErrorCode = 'INVALID_DELIVERY' | 'ALREADY_DISPATCHED' | 'ALREADY_DELIVERED' | 'ALREADY_CANCELLED' | 'NOT_DISPATCHED' | 'NOT_FOUND';

/** Expected failures of the delivery domain: a step the delivery's state does not allow is a conflict. */
export class DeliveryError extends DomainError<DeliveryErrorCode> {
  get kind(): DomainErrorKind {
    if (this.code === 'INVALID_DELIVERY') return 'invalid';
    if (this.code === 'NOT_FOUND') return 'not-found';
    return 'conflict';
  }
}
