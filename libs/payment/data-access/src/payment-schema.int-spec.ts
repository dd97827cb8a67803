import { PaymentPrismaClient } from './index';
import { describeServiceSchema } from '@shop/testing';

/** Besides what every service's schema has (see describeServiceSchema), the payment service's own models and rules. */
describeServiceSchema('payment', 'payments', PaymentPrismaClient, ({ client }) => {
  let prisma: PaymentPrismaClient;
  const base = { customerId: 'c-1', amountCents: 4999, currency: 'EUR' };

  beforeAll(() => {
    prisma = client();
  });

  it('round-trips every field of Payment through authorize and refund', async () => {
    const id = '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5';
    const orderId = '1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6';
    const created = await prisma.payment.create({ data: { ...base, id, orderId, status: 'AUTHORIZED', providerReference: 'auth-1' } });
    expect(created).toEqual({
      ...base,
      id,
      orderId,
      status: 'AUTHORIZED',
      providerReference: 'auth-1',
      declineReason: null,
      refundReference: null,
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });

    const refunded = await prisma.payment.update({ where: { orderId }, data: { status: 'REFUNDED', refundReference: 'refund-1' } });
    expect(refunded).toMatchObject({ status: 'REFUNDED', providerReference: 'auth-1', refundReference: 'refund-1' });
    expect(refunded.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

    const declined = await prisma.payment.create({
      data: { ...base, customerId: 'c-2', id: '2e3f4a5b-6c7d-4e8f-9001-b2c3d4e5f6a7', orderId: '3f4a5b6c-7d8e-4f90-8112-c3d4e5f6a7b8', status: 'DECLINED', declineReason: 'card_declined' },
    });
    expect(declined).toMatchObject({ status: 'DECLINED', providerReference: null, declineReason: 'card_declined' });

    const mine = await prisma.payment.findMany({ where: { customerId: 'c-1' } });
    expect(mine.map((p) => p.id)).toEqual([id]);
    await prisma.payment.deleteMany();
    expect(await prisma.payment.count()).toBe(0);
  });

  it('refuses a second payment for the same order', async () => {
    const orderId = '4a5b6c7d-8e9f-4a01-9223-d4e5f6a7b8c9';
    await prisma.payment.create({ data: { ...base, id: '5b6c7d8e-9f0a-4b12-8334-e5f6a7b8c9d0', orderId, status: 'AUTHORIZED', providerReference: 'a' } });
    await expect(
      prisma.payment.create({ data: { ...base, id: '6c7d8e9f-0a1b-4c23-9445-f6a7b8c9d0e1', orderId, status: 'DECLINED', declineReason: 'x' } }),
    ).rejects.toMatchObject({ code: 'P2002' });
    // What the consumer relies on when two deliveries race: the loser inserts nothing and gets no error.
    const skipped = await prisma.payment.createMany({
      data: [{ ...base, id: '7d8e9f0a-1b2c-4d34-8556-a7b8c9d0e1f2', orderId, status: 'DECLINED', declineReason: 'x' }],
      skipDuplicates: true,
    });
    expect(skipped.count).toBe(0);
    expect(await prisma.payment.count({ where: { orderId } })).toBe(1);
  });

  it('enforces a non-negative amount and what each status must carry', async () => {
    const row = (n: number) => ({
      ...base,
      id: `8e9f0a1b-2c3d-4e45-9667-b8c9d0e1f2${String(n).padStart(2, '0')}`,
      orderId: `9f0a1b2c-3d4e-4f56-8778-c9d0e1f2a3${String(n).padStart(2, '0')}`,
    });
    await expect(prisma.payment.create({ data: { ...row(1), amountCents: -1, status: 'AUTHORIZED', providerReference: 'a' } })).rejects.toThrow(
      /payments_amount_cents_check/,
    );
    await expect(prisma.payment.create({ data: { ...row(2), status: 'AUTHORIZED' } })).rejects.toThrow(/payments_outcome_check/);
    await expect(prisma.payment.create({ data: { ...row(3), status: 'DECLINED' } })).rejects.toThrow(/payments_outcome_check/);
    await expect(
      prisma.payment.create({ data: { ...row(4), status: 'DECLINED', declineReason: 'x', providerReference: 'a' } }),
    ).rejects.toThrow(/payments_outcome_check/);
    await expect(prisma.payment.create({ data: { ...row(5), status: 'REFUNDED', providerReference: 'a' } })).rejects.toThrow(/payments_outcome_check/);
    await prisma.payment.create({ data: { ...row(6), status: 'DECLINED', declineReason: 'x' } });
    await expect(
      prisma.payment.update({ where: { id: row(6).id }, data: { status: 'REFUNDED', refundReference: 'r' } }),
    ).rejects.toThrow(/payments_outcome_check/);
    expect(await prisma.payment.findUnique({ where: { id: row(6).id } })).toMatchObject({ status: 'DECLINED' });
  });

  it('round-trips the order guard, once per order', async () => {
    const orderId = '9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f';
    const guard = await prisma.orderGuard.create({ data: { orderId } });
    expect(guard).toEqual({ orderId, cancelledAt: null, authorizingAt: null });
    const marked = await prisma.orderGuard.update({ where: { orderId }, data: { cancelledAt: new Date(), authorizingAt: new Date() } });
    expect(marked).toEqual({ orderId, cancelledAt: expect.any(Date), authorizingAt: expect.any(Date) });
    expect((await prisma.orderGuard.createMany({ data: [{ orderId }], skipDuplicates: true })).count).toBe(0);
  });
});
