import type { Product } from '../../api/api-client';
import { cart } from '../cart/cart.store';
import { announce } from './announcer.component';

export function addProductToCart(product: Product, quantity = 1): void {
  cart.add({ productId: product.id, name: product.name, priceCents: product.priceCents, currency: product.currency }, quantity);
  announce(`Added ${quantity > 1 ? `${quantity} × ` : ''}${product.name} to your cart`);
}

/** One click (or Enter, or Space) puts one more in the cart. */
export function AddToCartButton({ product }: { product: Product }) {
  if (product.stock <= 0) {
    return (
      <button type="button" disabled>
        Out of stock
      </button>
    );
  }
  return (
    <button type="button" onClick={() => addProductToCart(product)} aria-label={`Add ${product.name} to cart`}>
      Add to cart
    </button>
  );
}
