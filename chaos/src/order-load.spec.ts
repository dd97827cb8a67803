import { planOrders, random } from './order-load';

const products = { plentiful: ['p0', 'p1', 'p2', 'p3'], scarce: 'scarce' };

describe('chaos order load plan', () => {
  it('plans the same orders for the same seed and others for another seed', () => {
    expect(planOrders(50, products, 7)).toEqual(planOrders(50, products, 7));
    expect(planOrders(50, products, 8)).not.toEqual(planOrders(50, products, 7));
    const next = random(1);
    const values = Array.from({ length: 1000 }, next);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('mixes declines, cancels and the scarce product in about the shares asked for', () => {
    const plan = planOrders(4000, products, 3, { declineShare: 0.1, cancelShare: 0.03, scarceShare: 0.05, customers: 50 });
    const share = (pred: (o: (typeof plan)[number]) => boolean) => plan.filter(pred).length / plan.length;
    expect(share((o) => o.paymentToken.startsWith('tok_decline'))).toBeCloseTo(0.1, 1);
    expect(share((o) => o.cancel)).toBeGreaterThan(0.015);
    expect(share((o) => o.cancel)).toBeLessThan(0.045);
    expect(share((o) => o.items.some((i) => i.productId === 'scarce'))).toBeCloseTo(0.05, 1);
    expect(new Set(plan.map((o) => o.customer)).size).toBe(50);
  });

  it('orders one to three of each product, never the same product twice in one order', () => {
    for (const order of planOrders(500, products, 11)) {
      expect(order.items.length).toBeGreaterThanOrEqual(1);
      expect(new Set(order.items.map((i) => i.productId)).size).toBe(order.items.length);
      for (const item of order.items) expect([1, 2, 3]).toContain(item.quantity);
      expect(['tok_chaos_ok', 'tok_decline_chaos']).toContain(order.paymentToken);
    }
  });

  it('refuses a plan with fewer than two plentiful products', () => {
    expect(() => planOrders(1, { plentiful: ['p0'], scarce: 's' }, 1)).toThrow('at least two plentiful products');
  });
});
