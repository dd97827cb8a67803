export const ADDRESS = { name: 'Chaos Monkey', line1: '1 Fault Line', city: 'Lisbon', postalCode: '1000-001', country: 'PT' };

/** Stock of the plentiful products: no order of a run can exhaust it. */
export const PLENTIFUL_STOCK = 1_000_000;

/** The scarce product runs out part-way, so some orders are cancelled OUT_OF_STOCK. */
export function scarceStock(orders: number): number {
  return Math.max(5, Math.round(orders * 0.05));
}
