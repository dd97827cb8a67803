/** Expected failures of the catalog domain, with stable codes the edges map to HTTP or dead-letter. */
export class CatalogError extends Error {
  constructor(
    readonly code: 'INVALID_PRODUCT' | 'INSUFFICIENT_STOCK',
    message: string,
  ) {
    super(message);
    this.name = 'CatalogError';
  }
}
