import { useRef, useState } from 'preact/hooks';
import { ApiError, newIdempotencyKey, type ShippingAddress, unwrap } from '../../api/api-client';
import { cartTotals } from '../cart/cart.model';
import { cart, cartStore } from '../cart/cart.store';
import { PageTitle } from '../components/page-title.component';
import { ProblemAlert } from '../components/problem-alert.component';
import { SignInForm } from '../components/sign-in-form.component';
import { formatMoney } from '../format/money.format';
import { Link } from '../router/link.component';
import { navigate } from '../router/location.store';
import { sessionStore } from '../session/session.store';
import { useStore } from '../state/use-store.hook';
import { api } from '../shop.api';

const ADDRESS_FIELDS: Array<{ name: keyof ShippingAddress; label: string; autoComplete: string; maxLength: number }> = [
  { name: 'name', label: 'Full name', autoComplete: 'name', maxLength: 200 },
  { name: 'line1', label: 'Street address', autoComplete: 'address-line1', maxLength: 200 },
  { name: 'city', label: 'City', autoComplete: 'address-level2', maxLength: 100 },
  { name: 'postalCode', label: 'Postal code', autoComplete: 'postal-code', maxLength: 20 },
  { name: 'country', label: 'Country', autoComplete: 'country-name', maxLength: 56 },
];

/** Field errors of a 400 problem, keyed by the contract's path (`shippingAddress.city`, `paymentToken`). */
function fieldErrors(error: ApiError | null): Record<string, string> {
  const byPath: Record<string, string> = {};
  for (const e of error?.problem.errors ?? []) byPath[e.path] = e.message;
  return byPath;
}

/** `items.1.quantity` → `Mug, quantity`; address fields by their labels. */
function describePath(path: string, lines: Array<{ name: string }>): string {
  const item = /^items\.(\d+)\.(\w+)$/.exec(path);
  if (item && lines[Number(item[1])]) return `${lines[Number(item[1])].name}, ${item[2]}`;
  const field = ADDRESS_FIELDS.find((f) => path === `shippingAddress.${f.name}`);
  if (field) return field.label;
  return path === 'paymentToken' ? 'Payment token' : path;
}

/** `/checkout`: shipping address and payment token, then `POST /api/orders`. */
export function CheckoutPage() {
  const session = useStore(sessionStore);
  const lines = useStore(cartStore);
  const [address, setAddress] = useState<ShippingAddress>({ name: '', line1: '', city: '', postalCode: '', country: '' });
  const [paymentToken, setPaymentToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // One key per attempt: a retry after a lost answer is the same order, never a second one.
  const idempotencyKey = useRef(newIdempotencyKey());

  if (!session) {
    return (
      <section class="narrow">
        <PageTitle>Checkout</PageTitle>
        <p>Sign in to place your order. Your cart is kept.</p>
        <SignInForm />
      </section>
    );
  }
  if (lines.length === 0) {
    return (
      <section>
        <PageTitle>Checkout</PageTitle>
        <p>Your cart is empty.</p>
        <p>
          <Link href="/">Browse the products</Link>
        </p>
      </section>
    );
  }

  async function placeOrder(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await unwrap(
        api.POST('/api/orders', {
          body: { items: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })), paymentToken, shippingAddress: address },
          params: { header: { 'Idempotency-Key': idempotencyKey.current } },
        }),
      );
      cart.clear();
      // While the shop is busy the order waits in line: the ticket's page follows it until it is placed.
      navigate('ticketId' in answer ? `/waiting-room/${answer.ticketId}` : `/orders/${answer.id}`);
    } catch (err) {
      const apiError = err as ApiError;
      // The shop answered: this attempt is settled, the next one is a new order.
      if (apiError.status !== 0) idempotencyKey.current = newIdempotencyKey();
      setError(apiError);
      setBusy(false);
    }
  }

  const errors = fieldErrors(error);
  const total = cartTotals(lines)
    .map((t) => formatMoney(t.cents, t.currency))
    .join(' + ');
  return (
    <section>
      <PageTitle>Checkout</PageTitle>
      <div class="checkout-layout">
        <form class="stack" onSubmit={placeOrder} aria-label="Place your order" noValidate>
          <fieldset>
            <legend>Shipping address</legend>
            {ADDRESS_FIELDS.map((field) => {
              const message = errors[`shippingAddress.${field.name}`];
              return (
                <div class="field" key={field.name}>
                  <label for={`address-${field.name}`}>{field.label}</label>
                  <input
                    id={`address-${field.name}`}
                    name={field.name}
                    autoComplete={field.autoComplete}
                    maxLength={field.maxLength}
                    required
                    value={address[field.name]}
                    aria-invalid={message ? true : undefined}
                    aria-describedby={message ? `address-${field.name}-error` : undefined}
                    onInput={(e) => setAddress({ ...address, [field.name]: e.currentTarget.value })}
                  />
                  {message ? (
                    <p class="field-error" id={`address-${field.name}-error`}>
                      {message}
                    </p>
                  ) : null}
                </div>
              );
            })}
          </fieldset>
          <fieldset>
            <legend>Payment</legend>
            <div class="field">
              <label for="payment-token">Payment token</label>
              <input
                id="payment-token"
                name="paymentToken"
                autoComplete="off"
                maxLength={200}
                required
                value={paymentToken}
                aria-invalid={errors.paymentToken ? true : undefined}
                aria-describedby={`payment-token-hint${errors.paymentToken ? ' payment-token-error' : ''}`}
                onInput={(e) => setPaymentToken(e.currentTarget.value)}
              />
              <p class="hint" id="payment-token-hint">
                A demo payment provider: enter <code>tok_visa</code> to pay. A token starting with <code>tok_decline</code> (e.g.{' '}
                <code>tok_decline</code>) is always declined.
              </p>
              {errors.paymentToken ? (
                <p class="field-error" id="payment-token-error">
                  {errors.paymentToken}
                </p>
              ) : null}
            </div>
          </fieldset>
          {error ? <ProblemAlert error={error} title="Your order was not placed" focus describePath={(path) => describePath(path, lines)} /> : null}
          <div>
            <button type="submit" disabled={busy}>
              {busy ? 'Placing your order…' : `Place order · ${total}`}
            </button>
          </div>
        </form>
        <aside class="card stack" aria-labelledby="summary-title">
          <h2 id="summary-title">Your order</h2>
          <ul class="summary-lines">
            {lines.map((line) => (
              <li key={line.productId}>
                <span>
                  {line.quantity} × {line.name}
                </span>
                <span>{formatMoney(line.priceCents * line.quantity, line.currency)}</span>
              </li>
            ))}
          </ul>
          <p class="total">Total: {total}</p>
          <p class="muted">
            Signed in as <strong>{session.customerId}</strong>. <Link href="/cart">Change the cart</Link>
          </p>
        </aside>
      </div>
    </section>
  );
}
