import { PaymentError } from './payment.errors';
import { SimulatedPaymentProvider } from './simulated-payment.provider';

const orderId = '3f2a1b0c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const otherOrder = '9e8d7c6b-5a49-4382-b716-a5f4e3d2c1b0';
const request = (token: string, id = orderId) => ({ orderId: id, amountCents: 1999, currency: 'EUR', token });

describe('SimulatedPaymentProvider', () => {
  const provider = new SimulatedPaymentProvider();

  it.each(['tok_decline', 'tok_decline_x', 'tok_decline_insufficient_funds'])('always declines a token starting with tok_decline (%s)', async (token) => {
    await expect(provider.authorize(request(token))).resolves.toEqual({ approved: false, reason: 'card_declined' });
  });

  it.each(['tok_visa', 'tok_', 'x_tok_decline', 'TOK_DECLINE', 'tok_declin'])('approves any other token (%s)', async (token) => {
    await expect(provider.authorize(request(token))).resolves.toMatchObject({ approved: true });
  });

  it('gives a retried authorization of the same order the same reference, whatever the token', async () => {
    const first = await provider.authorize(request('tok_visa'));
    const retry = await new SimulatedPaymentProvider().authorize(request('tok_mastercard'));
    expect(first).toEqual({ approved: true, reference: `sim_auth_${orderId}` });
    expect(retry).toEqual(first);
  });

  it('gives different orders different references', async () => {
    const a = await provider.authorize(request('tok_visa'));
    const b = await provider.authorize(request('tok_visa', otherOrder));
    expect(a).not.toEqual(b);
  });

  it('refunds an authorization it issued, with the same refund reference on a retry', async () => {
    const auth = await provider.authorize(request('tok_visa'));
    if (!auth.approved) throw new Error('expected an approval');
    const refund = { orderId, reference: auth.reference, amountCents: 1999, currency: 'EUR' };
    const first = await provider.refund(refund);
    expect(first).toEqual({ reference: `sim_refund_${orderId}` });
    await expect(provider.refund(refund)).resolves.toEqual(first);
  });

  it('refuses to refund an authorization of another order', async () => {
    const auth = await provider.authorize(request('tok_visa', otherOrder));
    if (!auth.approved) throw new Error('expected an approval');
    await expect(provider.refund({ orderId, reference: auth.reference, amountCents: 1999, currency: 'EUR' })).rejects.toEqual(
      new PaymentError('UNKNOWN_AUTHORIZATION', `no authorization ${auth.reference} for order ${orderId}`),
    );
  });
});
