import { AuthorizeRequest, AuthorizeResult, RefundRequest, RefundResult, SimulatedPaymentProvider } from '@shop/payment/domain';

/**
 * The platform's simulated provider, recording what it was asked; `during`
 * runs while an authorization is with the provider (outside any unit of
 * work), to put a race exactly there.
 */
export class RecordingProvider extends SimulatedPaymentProvider {
  readonly authorizations: AuthorizeRequest[] = [];
  readonly refunds: RefundRequest[] = [];
  during?: () => Promise<void>;

  override async authorize(request: AuthorizeRequest): Promise<AuthorizeResult> {
    this.authorizations.push(request);
    const during = this.during;
    this.during = undefined;
    await during?.();
    return super.authorize(request);
  }

  override async refund(request: RefundRequest): Promise<RefundResult> {
    this.refunds.push(request);
    return super.refund(request);
  }
}
