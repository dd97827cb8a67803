import { ReviewPrismaClient } from './index';
import { describeServiceSchema } from '@shop/testing';

/** Besides what every service's schema has (see describeServiceSchema), the review service's own models and rules. */
describeServiceSchema('review', 'reviews', ReviewPrismaClient, ({ client }) => {
  let prisma: ReviewPrismaClient;
  const orderId = '3c1f7e2a-8b4d-4e6f-9a0b-1c2d3e4f5a60';
  const productA = '4d2a8f3b-9c5e-4f70-8b1c-2d3e4f5a6b71';
  const productB = '5e3b9a4c-0d6f-4a81-9c2d-3e4f5a6b7c82';

  beforeAll(() => {
    prisma = client();
  });

  it('round-trips every field of ReviewGrant and keeps one grant per product of an order', async () => {
    const created = await prisma.reviewGrant.create({ data: { orderId, productId: productA, customerId: 'alice' } });
    expect(created).toMatchObject({ orderId, productId: productA, customerId: 'alice' });
    expect(created.grantedAt).toBeInstanceOf(Date);
    const again = await prisma.reviewGrant.createMany({
      data: [
        { orderId, productId: productA, customerId: 'alice' },
        { orderId, productId: productB, customerId: 'alice' },
      ],
      skipDuplicates: true,
    });
    expect(again.count).toBe(1);
    await expect(prisma.reviewGrant.create({ data: { orderId, productId: productA, customerId: 'mallory' } })).rejects.toMatchObject({ code: 'P2002' });
    const found = await prisma.reviewGrant.findUnique({ where: { orderId_productId: { orderId, productId: productB } } });
    expect(found?.customerId).toBe('alice');
  });

  it('round-trips every field of Review, lists by product newest first, and allows one review per product of an order', async () => {
    const first = await prisma.review.create({
      data: { id: '6f4c0b5d-1e7a-4b92-8d3e-4f5a6b7c8d93', productId: productA, orderId, customerId: 'alice', rating: 5, comment: 'Great' },
    });
    expect(first).toMatchObject({ productId: productA, orderId, customerId: 'alice', rating: 5, comment: 'Great' });
    expect(first.createdAt).toBeInstanceOf(Date);
    const second = await prisma.review.create({
      data: { id: '7a5d1c6e-2f8b-4ca3-9e4f-5a6b7c8d9ea4', productId: productB, orderId, customerId: 'alice', rating: 1 },
    });
    expect(second.comment).toBeNull();

    await expect(
      prisma.review.create({ data: { id: '8b6e2d7f-3a9c-4db4-8f5a-6b7c8d9eafb5', productId: productA, orderId, customerId: 'alice', rating: 3 } }),
    ).rejects.toMatchObject({ code: 'P2002' });

    const page = await prisma.review.findMany({ where: { productId: productA }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 10 });
    expect(page.map((r) => r.id)).toEqual([first.id]);
    expect(await prisma.review.findUnique({ where: { orderId_productId: { orderId, productId: productB } } })).toMatchObject({ id: second.id });
  });

  it('enforces the rating and comment checks', async () => {
    const base = { productId: productA, customerId: 'bob' };
    await expect(
      prisma.review.create({ data: { ...base, id: '9c7f3e8a-4b0d-4ec5-9a6b-7c8d9eafb0c6', orderId: '0d8a4f9b-5c1e-4fd6-8b7c-8d9eafb0c1d7', rating: 0 } }),
    ).rejects.toThrow(/reviews_rating_check/);
    await expect(
      prisma.review.create({ data: { ...base, id: '1e9b5a0c-6d2f-4ae7-9c8d-9eafb0c1d2e8', orderId: '2f0c6b1d-7e3a-4bf8-8d9e-afb0c1d2e3f9', rating: 6 } }),
    ).rejects.toThrow(/reviews_rating_check/);
    await expect(
      prisma.review.create({
        data: { ...base, id: '3a1d7c2e-8f4b-4c09-9eaf-b0c1d2e3f40a', orderId: '4b2e8d3f-9a5c-4d1a-8fb0-c1d2e3f4051b', rating: 3, comment: 'x'.repeat(2001) },
      }),
    ).rejects.toThrow(/reviews_comment_check/);
    expect(await prisma.review.count({ where: { customerId: 'bob' } })).toBe(0);
  });
});
