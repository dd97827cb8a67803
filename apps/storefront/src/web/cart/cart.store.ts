import { createStore } from '../state/value.store';
import { addToCart, CartLine, parseCart, removeLine, setQuantity } from './cart.model';

const KEY = 'shop.cart';

function read(): CartLine[] {
  try {
    return parseCart(window.localStorage.getItem(KEY));
  } catch {
    return [];
  }
}

/** The cart lives in localStorage: it survives reloads and is shared by the customer's tabs. */
export const cartStore = createStore<CartLine[]>(read());

function save(lines: CartLine[]): void {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(lines));
  } catch {
    // Storage full or disabled (private mode): the cart still works for this page's life.
  }
  cartStore.set(lines);
}

export const cart = {
  add: (product: Omit<CartLine, 'quantity'>, quantity = 1) => save(addToCart(cartStore.get(), product, quantity)),
  setQuantity: (productId: string, quantity: number) => save(setQuantity(cartStore.get(), productId, quantity)),
  remove: (productId: string) => save(removeLine(cartStore.get(), productId)),
  clear: () => save([]),
};

window.addEventListener('storage', (event) => {
  if (event.key === KEY || event.key === null) cartStore.set(read());
});
