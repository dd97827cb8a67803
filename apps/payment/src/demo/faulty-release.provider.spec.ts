import { SimulatedPaymentProvider } from '@shop/payment/domain';
import { FaultyReleaseProvider } from './faulty-release.provider';

describe('the faulty release of the canary demonstration', () => {
  const request = (n: number) => ({ orderId: `o-${n}`, amountCents: 100, currency: 'EUR', token: 'tok_visa' });

  it('fails exactly the share of authorisations it is set to, with an error a retry tier takes, and refunds as usual', async () => {
    const provider = new FaultyReleaseProvider(new SimulatedPaymentProvider(), 30);
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, n) => provider.authorize(request(n)).then(() => 'ok', (err: Error) => err.message)));
    expect(outcomes.filter((o) => o !== 'ok')).toHaveLength(6);
    expect(outcomes.find((o) => o !== 'ok')).toMatch(/^faulty release \(PAYMENT_FAULTY_RELEASE_PERCENT=30\): authorisation of order o-\d+ failed$/);
    await expect(provider.refund({ orderId: 'o-1', reference: 'sim_auth_o-1', amountCents: 100, currency: 'EUR' })).resolves.toEqual({ reference: 'sim_refund_o-1' });
  });
});
