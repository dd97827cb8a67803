import { addToCart, cartTotals, CartLine, itemCount, parseCart, removeLine, setQuantity } from './cart.model';

const kettle = { productId: 'k', name: 'Kettle', priceCents: 2500, currency: 'EUR' };
const mug = { productId: 'm', name: 'Mug', priceCents: 800, currency: 'EUR' };

describe('cart', () => {
  it('adds a product once and counts further adds into its quantity', () => {
    let lines: CartLine[] = [];
    lines = addToCart(lines, kettle);
    lines = addToCart(lines, mug, 2);
    lines = addToCart(lines, kettle);
    expect(lines).toEqual([
      { ...kettle, quantity: 2 },
      { ...mug, quantity: 2 },
    ]);
    expect(itemCount(lines)).toBe(4);
  });

  it('takes the newest name and price when a product is added again', () => {
    const lines = addToCart(addToCart([], kettle), { ...kettle, name: 'Kettle 2', priceCents: 2600 });
    expect(lines).toEqual([{ ...kettle, name: 'Kettle 2', priceCents: 2600, quantity: 2 }]);
  });

  it('sets any whole quantity of at least one, and ignores nonsense', () => {
    const lines = addToCart([], kettle);
    expect(setQuantity(lines, 'k', 1001)[0].quantity).toBe(1001);
    expect(setQuantity(lines, 'k', 0)).toBe(lines);
    expect(setQuantity(lines, 'k', 2.5)).toBe(lines);
    expect(setQuantity(lines, 'k', Number.NaN)).toBe(lines);
  });

  it('removes a line', () => {
    expect(removeLine(addToCart(addToCart([], kettle), mug), 'k')).toEqual([{ ...mug, quantity: 1 }]);
  });

  it('totals per currency', () => {
    const lines = addToCart(addToCart(addToCart([], kettle, 2), mug), { productId: 'b', name: 'Book', priceCents: 1200, currency: 'GBP' });
    expect(cartTotals(lines)).toEqual([
      { currency: 'EUR', cents: 5800 },
      { currency: 'GBP', cents: 1200 },
    ]);
  });

  it('reads back only well-formed stored lines', () => {
    const stored = JSON.stringify([{ ...kettle, quantity: 3 }, { ...mug, quantity: 0 }, { productId: 1 }, null]);
    expect(parseCart(stored)).toEqual([{ ...kettle, quantity: 3 }]);
    expect(parseCart('{"not":"a list"}')).toEqual([]);
    expect(parseCart('broken')).toEqual([]);
    expect(parseCart(null)).toEqual([]);
  });
});
