export type OrderErrorCode = 'INVALID_ORDER' | 'NOT_CANCELLABLE' | 'ILLEGAL_TRANSITION';

/** Expected failures of the order domain; the HTTP edge maps them to 4xx, the consumers to "stale, ignore". */
export class OrderError extends Error {
  constructor(
    readonly code: OrderErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OrderError';
  }
}
