/** What the service asks a payment provider to charge; the token is the provider's opaque card reference. */
export interface AuthorizeRequest {
  /** Also the idempotency key: the same order authorized twice is charged once, with the same reference. */
  orderId: string;
  amountCents: number;
  currency: string;
  token: string;
}

export type AuthorizeResult = { approved: true; reference: string } | { approved: false; reason: string };

export interface RefundRequest {
  /** Also the idempotency key: refunding the same order twice gives money back once. */
  orderId: string;
  /** The reference the provider returned when it approved the authorization. */
  reference: string;
  amountCents: number;
  currency: string;
}

export interface RefundResult {
  reference: string;
}

/**
 * The port to a payment provider. A decline is an answer, not an error;
 * implementations throw only when the provider could not decide (outage,
 * timeout), which the caller retries with the same idempotency key.
 */
export interface PaymentProvider {
  authorize(request: AuthorizeRequest): Promise<AuthorizeResult>;
  refund(request: RefundRequest): Promise<RefundResult>;
}
