import { DomainError, DomainErrorKind } from '@shop/shared/kernel';

export type CatalogErrorCode = 'INVALID_PRODUCT' | 'INVALID_PICTURE' | 'INSUFFICIENT_STOCK' | 'DUPLICATE_SKU' | 'NOT_FOUND';

const KINDS: Record<CatalogErrorCode, DomainErrorKind> = {
  INVALID_PRODUCT: 'invalid',
  INVALID_PICTURE: 'invalid',
  INSUFFICIENT_STOCK: 'conflict',
  DUPLICATE_SKU: 'conflict',
  NOT_FOUND: 'not-found',
};

/** Expected failures of the catalog domain, with stable codes the edges map to HTTP or dead-letter. */
export class CatalogError extends DomainError<CatalogErrorCode> {
  get kind(): DomainErrorKind {
    return KINDS[this.code];
  }
}
