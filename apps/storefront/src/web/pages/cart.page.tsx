import { cart, cartStore } from '../cart/cart.store';
import { cartTotals } from '../cart/cart.model';
import { PageTitle } from '../components/page-title.component';
import { formatMoney } from '../format/money.format';
import { Link } from '../router/link.component';
import { useStore } from '../state/use-store.hook';

/** `/cart`: what is in the cart (kept in localStorage), quantities, and the way to checkout. */
export function CartPage() {
  const lines = useStore(cartStore);
  if (lines.length === 0) {
    return (
      <section>
        <PageTitle>Your cart</PageTitle>
        <p>Your cart is empty.</p>
        <p>
          <Link href="/">Browse the products</Link>
        </p>
      </section>
    );
  }
  return (
    <section>
      <PageTitle>Your cart</PageTitle>
      <ul class="cart-lines" aria-label="Items in your cart">
        {lines.map((line) => (
          <li key={line.productId} class="card cart-line" data-testid="cart-line">
            <div class="cart-line-name">
              <Link href={`/products/${line.productId}`}>{line.name}</Link>
              <p class="muted">{formatMoney(line.priceCents, line.currency)} each</p>
            </div>
            <div class="field field-inline">
              <label for={`qty-${line.productId}`}>Quantity</label>
              <input
                id={`qty-${line.productId}`}
                type="number"
                inputMode="numeric"
                min={1}
                step={1}
                value={line.quantity}
                aria-describedby={`line-total-${line.productId}`}
                onChange={(e) => cart.setQuantity(line.productId, Number(e.currentTarget.value))}
              />
            </div>
            <p class="line-total" id={`line-total-${line.productId}`}>
              {formatMoney(line.priceCents * line.quantity, line.currency)}
            </p>
            <button type="button" class="button-secondary" onClick={() => cart.remove(line.productId)} aria-label={`Remove ${line.name} from the cart`}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <p class="total" data-testid="cart-total">
        Total: {cartTotals(lines).map((t) => formatMoney(t.cents, t.currency)).join(' + ')}
      </p>
      <p class="actions">
        <Link href="/checkout" class="button">
          Go to checkout
        </Link>
        <Link href="/">Keep shopping</Link>
      </p>
    </section>
  );
}
