import type { PaymentProvider } from './payment-provider.port';
import { DeadlineProvider, ProviderTimeoutError } from './provider-deadline';
import { SimulatedPaymentProvider } from './simulated-payment.provider';

const request = { orderId: 'o-1', amountCents: 100, currency: 'EUR', token: 'tok_visa' };

describe('a payment provider with a deadline', () => {
  it('passes answers and errors through when they come in time', async () => {
    const provider = new DeadlineProvider(new SimulatedPaymentProvider(), 1_000);
    await expect(provider.authorize(request)).resolves.toEqual({ approved: true, reference: 'sim_auth_o-1' });
    await expect(provider.refund({ orderId: 'o-1', reference: 'other', amountCents: 100, currency: 'EUR' })).rejects.toMatchObject({ code: 'UNKNOWN_AUTHORIZATION' });
  });

  it('fails a call the provider does not answer in time with a retryable timeout', async () => {
    const hanging: PaymentProvider = { authorize: () => new Promise(() => undefined), refund: () => new Promise(() => undefined) };
    const started = Date.now();
    const err = await new DeadlineProvider(hanging, 50).authorize(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderTimeoutError);
    expect(err).toMatchObject({ retryable: true, message: 'the payment provider did not answer the authorization within 50 ms' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
