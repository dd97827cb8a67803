import { useEffect, useState } from 'preact/hooks';
import { unwrap } from '../../api/api-client';
import { AddToCartButton } from '../components/add-to-cart.component';
import { PageTitle } from '../components/page-title.component';
import { categoryLabel, ProductCategory, ProductPicture } from '../components/product-picture.component';
import { ProblemAlert } from '../components/problem-alert.component';
import { Rating } from '../components/rating.component';
import { formatMoney } from '../format/money.format';
import { Link } from '../router/link.component';
import { navigate } from '../router/location.store';
import { useAsync } from '../state/use-async.hook';
import { usePaged } from '../state/use-paged.hook';
import { api } from '../shop.api';

const PAGE_SIZE = 24;

/** `/?q=&category=`: a shareable address for a search and a category. */
function listHref(q: string, category: string): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (category) params.set('category', category);
  const search = params.toString();
  return search ? `/?${search}` : '/';
}

/** `/`: products, newest first, with search (`/?q=`, most relevant first) and browsing by category (`/?category=`). */
export function ProductListPage({ query, category }: { query: string; category: string }) {
  const [draft, setDraft] = useState(query);
  useEffect(() => setDraft(query), [query]);
  const products = usePaged(
    (cursor) =>
      unwrap(api.GET('/api/products', { params: { query: { q: query || undefined, category: category || undefined, limit: PAGE_SIZE, cursor } } })),
    [query, category],
  );
  const categories = useAsync(() => unwrap(api.GET('/api/categories')), []);

  function search(event: Event) {
    event.preventDefault();
    navigate(listHref(draft.trim(), category));
  }

  const within = category ? ` in ${categoryLabel(category)}` : '';
  const title = query ? `Products matching “${query}”${within}` : category ? categoryLabel(category) : 'Products';
  return (
    <section>
      <PageTitle>{title}</PageTitle>
      {categories.data && categories.data.items.length > 0 ? (
        <nav class="categories" aria-label="Categories">
          <Link href={listHref(query, '')} aria-current={category ? undefined : 'page'}>
            All
          </Link>
          {categories.data.items.map((c) => (
            <Link key={c.name} href={listHref(query, c.name)} aria-current={c.name === category ? 'page' : undefined}>
              {categoryLabel(c.name)} ({c.productCount})
            </Link>
          ))}
        </nav>
      ) : null}
      <form role="search" class="search" onSubmit={search}>
        <label for="search">Search products</label>
        <div class="search-row">
          <input id="search" type="search" name="q" maxLength={200} value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
          <button type="submit">Search</button>
        </div>
      </form>
      {products.error ? <ProblemAlert error={products.error} title="The products could not be loaded" onRetry={products.reload} /> : null}
      {products.loading ? <p role="status">Loading products…</p> : null}
      {!products.loading && !products.error && products.items.length === 0 ? (
        <p role="status">{query ? `No products match “${query}”.` : 'No products yet.'}</p>
      ) : null}
      <ul class="product-grid" aria-label="Products">
        {products.items.map((product) => (
          <li key={product.id} class="card product-card" data-testid="product-card">
            <ProductPicture product={product} />
            <ProductCategory product={product} />
            <h2 class="product-name">
              <Link href={`/products/${product.id}`}>{product.name}</Link>
            </h2>
            <p class="price">{formatMoney(product.priceCents, product.currency)}</p>
            <Rating average={product.rating.average} count={product.rating.count} />
            <p class="stock">{product.stock > 0 ? `${product.stock} in stock` : 'Out of stock'}</p>
            <AddToCartButton product={product} />
          </li>
        ))}
      </ul>
      {products.nextCursor ? (
        <p class="center">
          <button type="button" class="button-secondary" onClick={products.more} disabled={products.loadingMore}>
            {products.loadingMore ? 'Loading…' : 'Show more products'}
          </button>
        </p>
      ) : null}
    </section>
  );
}
