import { useState } from 'preact/hooks';
import { unwrap } from '../../api/api-client';
import { addProductToCart } from '../components/add-to-cart.component';
import { PageTitle } from '../components/page-title.component';
import { ProductCategory, ProductPicture } from '../components/product-picture.component';
import { ProblemAlert } from '../components/problem-alert.component';
import { Rating } from '../components/rating.component';
import { formatDateTime, formatMoney } from '../format/money.format';
import { Link } from '../router/link.component';
import { useAsync } from '../state/use-async.hook';
import { usePaged } from '../state/use-paged.hook';
import { api } from '../shop.api';

/** `/products/:id`: the product, add to cart with a quantity, and its reviews. */
export function ProductPage({ id }: { id: string }) {
  const product = useAsync(() => unwrap(api.GET('/api/products/{id}', { params: { path: { id } } })), [id]);
  const reviews = usePaged(
    (cursor) => unwrap(api.GET('/api/products/{id}/reviews', { params: { path: { id }, query: { limit: 20, cursor } } })),
    [id],
  );
  const [quantity, setQuantity] = useState(1);

  if (product.status === 'error' && !product.data) {
    return (
      <section>
        <PageTitle>Product</PageTitle>
        <ProblemAlert error={product.error} title="This product could not be loaded" onRetry={product.reload} />
        <p>
          <Link href="/">Back to the products</Link>
        </p>
      </section>
    );
  }
  if (!product.data) {
    return (
      <section>
        <PageTitle>Product</PageTitle>
        <p role="status">Loading the product…</p>
      </section>
    );
  }
  const p = product.data;

  function add(event: Event) {
    event.preventDefault();
    if (Number.isInteger(quantity) && quantity >= 1) addProductToCart(p, quantity);
  }

  return (
    <article class="product">
      <p class="breadcrumb">
        <Link href="/">Products</Link> / <span aria-current="page">{p.name}</span>
      </p>
      <PageTitle>{p.name}</PageTitle>
      <div class="product-layout">
        <div class="stack">
          <ProductPicture product={p} large />
          <ProductCategory product={p} />
          <p class="price price-large">{formatMoney(p.priceCents, p.currency)}</p>
          <Rating average={p.rating.average} count={p.rating.count} />
          <p class="stock">{p.stock > 0 ? `${p.stock} in stock` : 'Out of stock'}</p>
          {p.description ? <p class="description">{p.description}</p> : null}
          <p class="muted">SKU {p.sku}</p>
        </div>
        <form class="card stack buy-box" onSubmit={add} aria-label={`Buy ${p.name}`}>
          <div class="field">
            <label for="quantity">Quantity</label>
            <input
              id="quantity"
              type="number"
              inputMode="numeric"
              min={1}
              step={1}
              value={quantity}
              onInput={(e) => setQuantity(Number(e.currentTarget.value))}
            />
          </div>
          <button type="submit" disabled={p.stock <= 0}>
            {p.stock > 0 ? 'Add to cart' : 'Out of stock'}
          </button>
          <Link href="/cart">Go to your cart</Link>
        </form>
      </div>

      <section aria-labelledby="reviews-title" class="reviews">
        <h2 id="reviews-title">Reviews</h2>
        {reviews.error ? <ProblemAlert error={reviews.error} title="The reviews could not be loaded" onRetry={reviews.reload} /> : null}
        {reviews.loading ? <p role="status">Loading reviews…</p> : null}
        {!reviews.loading && !reviews.error && reviews.items.length === 0 ? <p>No reviews yet. Buy it, and tell others once it arrives.</p> : null}
        <ul class="review-list">
          {reviews.items.map((review) => (
            <li key={review.id} class="card" data-testid="review">
              <p class="review-rating">
                <span aria-hidden="true" class="stars">
                  {'★'.repeat(review.rating)}
                  <span class="stars-empty">{'★'.repeat(5 - review.rating)}</span>
                </span>
                <span class="visually-hidden">{`${review.rating} out of 5`}</span>
              </p>
              {review.comment ? <p class="review-comment">{review.comment}</p> : null}
              <p class="muted">
                {review.customerId} · <time dateTime={review.createdAt}>{formatDateTime(review.createdAt)}</time>
              </p>
            </li>
          ))}
        </ul>
        {reviews.nextCursor ? (
          <button type="button" class="button-secondary" onClick={reviews.more} disabled={reviews.loadingMore}>
            {reviews.loadingMore ? 'Loading…' : 'Show more reviews'}
          </button>
        ) : null}
      </section>
    </article>
  );
}
