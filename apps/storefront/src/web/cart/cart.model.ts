/** One product in the cart, with the price seen when it was added (the order fixes the real one). */
export interface CartLine {
  productId: string;
  name: string;
  priceCents: number;
  currency: string;
  quantity: number;
}

export function addToCart(lines: CartLine[], product: Omit<CartLine, 'quantity'>, quantity = 1): CartLine[] {
  const existing = lines.find((line) => line.productId === product.productId);
  if (existing) return lines.map((line) => (line === existing ? { ...line, ...product, quantity: line.quantity + quantity } : line));
  return [...lines, { ...product, quantity }];
}

/**
 * A customer's own number, even one the shop will refuse (more than it
 * allows): the API says why at checkout. Only nonsense (not a whole number
 * of at least 1) keeps the previous quantity.
 */
export function setQuantity(lines: CartLine[], productId: string, quantity: number): CartLine[] {
  if (!Number.isInteger(quantity) || quantity < 1) return lines;
  return lines.map((line) => (line.productId === productId ? { ...line, quantity } : line));
}

export function removeLine(lines: CartLine[], productId: string): CartLine[] {
  return lines.filter((line) => line.productId !== productId);
}

export function itemCount(lines: CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0);
}

/** One total per currency: a cart may mix them, an order total may not, and the API says so. */
export function cartTotals(lines: CartLine[]): Array<{ currency: string; cents: number }> {
  const totals = new Map<string, number>();
  for (const line of lines) totals.set(line.currency, (totals.get(line.currency) ?? 0) + line.priceCents * line.quantity);
  return [...totals].map(([currency, cents]) => ({ currency, cents }));
}

/** The stored cart, keeping only well-formed lines (storage is the customer's to tamper with). */
export function parseCart(raw: string | null): CartLine[] {
  if (!raw) return [];
  try {
    const value = JSON.parse(raw) as unknown;
    if (!Array.isArray(value)) return [];
    return value.filter(
      (line): line is CartLine =>
        !!line &&
        typeof line === 'object' &&
        typeof line.productId === 'string' &&
        typeof line.name === 'string' &&
        Number.isInteger(line.priceCents) &&
        typeof line.currency === 'string' &&
        Number.isInteger(line.quantity) &&
        line.quantity >= 1,
    );
  } catch {
    return [];
  }
}
