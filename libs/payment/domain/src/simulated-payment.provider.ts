import { PaymentError } from './payment.errors';
import type { AuthorizeRequest, AuthorizeResult, PaymentProvider, RefundRequest, RefundResult } from './payment-provider.port';

export const DECLINE_TOKEN_PREFIX = 'tok_decline';
export const SIMULATED_DECLINE_REASON = 'card_declined';

/**
 * The platform's stand-in for a real provider (DESIGN §3): a token starting
 * with `tok_decline` is always declined, any other is approved. References
 * derive from the order id alone, so a retried call with the same
 * idempotency key answers exactly as the first one did, as a real provider's
 * idempotency keys guarantee.
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  async authorize(request: AuthorizeRequest): Promise<AuthorizeResult> {
    if (request.token.startsWith(DECLINE_TOKEN_PREFIX)) return { approved: false, reason: SIMULATED_DECLINE_REASON };
    return { approved: true, reference: SimulatedPaymentProvider.authorizationOf(request.orderId) };
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    // A provider refunds only what it authorized; a foreign reference is a bug upstream, not a retryable failure.
    if (request.reference !== SimulatedPaymentProvider.authorizationOf(request.orderId)) {
      throw new PaymentError('UNKNOWN_AUTHORIZATION', `no authorization ${request.reference} for order ${request.orderId}`);
    }
    return { reference: `sim_refund_${request.orderId}` };
  }

  private static authorizationOf(orderId: string): string {
    return `sim_auth_${orderId}`;
  }
}
