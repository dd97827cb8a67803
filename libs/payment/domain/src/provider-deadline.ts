import type { AuthorizeRequest, AuthorizeResult, PaymentProvider, RefundRequest, RefundResult } from './payment-provider.port';

/** The provider gave no answer in time. Retrying is safe: every call carries the order id as its idempotency key. */
export class ProviderTimeoutError extends Error {
  override readonly name = 'ProviderTimeoutError';
  readonly retryable = true;
}

/**
 * A provider whose every call answers within `timeoutMs` or fails with
 * ProviderTimeoutError: a provider that hangs must not hold the handler, its
 * partition and its inbox claim for ever. The late answer is dropped; the
 * retry asks again with the same idempotency key and gets the same answer.
 */
export class DeadlineProvider implements PaymentProvider {
  constructor(
    readonly inner: PaymentProvider,
    private readonly timeoutMs: number,
  ) {}

  authorize(request: AuthorizeRequest): Promise<AuthorizeResult> {
    return this.within('authorization', this.inner.authorize(request));
  }

  refund(request: RefundRequest): Promise<RefundResult> {
    return this.within('refund', this.inner.refund(request));
  }

  private within<T>(what: string, call: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ProviderTimeoutError(`the payment provider did not answer the ${what} within ${this.timeoutMs} ms`)), this.timeoutMs);
      call.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  }
}
