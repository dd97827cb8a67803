/**
 * Why an upstream gave no answer. An answer with a 4xx or 5xx status is not
 * one of these: it is returned as it is, and only 5xx count against the breaker.
 */
export abstract class UpstreamError extends Error {
  abstract readonly code: 'CIRCUIT_OPEN' | 'BULKHEAD_FULL' | 'CLIENT_OVER_SHARE' | 'TIMEOUT' | 'UNREACHABLE';

  constructor(
    readonly upstream: string,
    message: string,
    /** When a client may try again, in whole seconds. */
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The breaker is open (or half-open with its trial call in flight): rejected without calling. */
export class CircuitOpenError extends UpstreamError {
  readonly code = 'CIRCUIT_OPEN';
}

/** Every slot of the upstream's bulkhead is taken by calls in flight; never counted against its health. */
export class BulkheadFullError extends UpstreamError {
  readonly code = 'BULKHEAD_FULL';
}

/** No answer within the timeout; the request was aborted. */
export class UpstreamTimeoutError extends UpstreamError {
  readonly code = 'TIMEOUT';
}

/** Connection refused or reset, or any other transport failure. */
export class UpstreamUnreachableError extends UpstreamError {
  readonly code = 'UNREACHABLE';
}

/**
 * The bulkhead is full and this client holds more than its share of it: the
 * caller's own doing (429), not the upstream's health (which it never counts against).
 */
export class ClientOverShareError extends UpstreamError {
  readonly code = 'CLIENT_OVER_SHARE';
}
