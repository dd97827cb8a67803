/** The Nest token of the PaymentProvider port, so the provider is swapped without touching the use cases. */
export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');
