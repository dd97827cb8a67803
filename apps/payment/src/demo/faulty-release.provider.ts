import type { AuthorizeRequest, AuthorizeResult, PaymentProvider, RefundRequest, RefundResult } from '@shop/payment/domain';

/**
 * FOR THE CANARY DEMONSTRATION ONLY (docs/releases.md): a build that fails a
 * share of its authorisations, as a release with a bug would, set by
 * PAYMENT_FAULTY_RELEASE_PERCENT. Never set it anywhere else. The failure is
 * an ordinary error before the provider is asked, so the record goes to its
 * retry tier and a healthy instance authorises it later (once, with the same
 * idempotency key): the confidence check sees the retries and rolls the build
 * back, and no order is lost or charged twice. An exact share, by error
 * diffusion, so the demonstration does not depend on chance.
 */
export class FaultyReleaseProvider implements PaymentProvider {
  private carry = 0;

  constructor(
    private readonly provider: PaymentProvider,
    private readonly percent: number,
  ) {}

  async authorize(request: AuthorizeRequest): Promise<AuthorizeResult> {
    this.carry += this.percent;
    if (this.carry >= 100) {
      this.carry -= 100;
      throw new Error(`faulty release (PAYMENT_FAULTY_RELEASE_PERCENT=${this.percent}): authorisation of order ${request.orderId} failed`);
    }
    return this.provider.authorize(request);
  }

  refund(request: RefundRequest): Promise<RefundResult> {
    return this.provider.refund(request);
  }
}
