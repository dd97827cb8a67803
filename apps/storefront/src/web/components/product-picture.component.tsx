import { demoProduct } from '../../demo/demo-catalog.data';
import { Link } from '../router/link.component';

interface PicturedProduct {
  sku: string;
  name: string;
  category: string | null;
  picture: { url: string; etag: string } | null;
}

/**
 * A product's picture: the one the catalog serves (`picture.url`, through the gateway; the etag in the URL makes
 * a new picture a new address, so no cache shows the old one), else a demo product's drawing (served by the
 * storefront at /pictures/), else a placeholder of the same size, so every card looks alike.
 */
export function ProductPicture({ product, large = false }: { product: PicturedProduct; large?: boolean }) {
  const className = large ? 'product-picture product-picture-large' : 'product-picture';
  const demo = demoProduct(product.sku);
  const src = product.picture ? `${product.picture.url}?v=${product.picture.etag.slice(0, 16)}` : demo ? `/pictures/${demo.picture}.svg` : null;
  if (!src) {
    return (
      <div class={`${className} product-picture-placeholder`} role="img" aria-label={`No picture of ${product.name}`} data-testid="product-picture-placeholder">
        <span aria-hidden="true">No picture</span>
      </div>
    );
  }
  return <img class={className} src={src} alt="" width={160} height={120} loading="lazy" data-testid="product-picture" />;
}

/** `garden-tools` → `Garden tools`. */
export function categoryLabel(category: string): string {
  const words = category.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The product's category, a link to everything in it. */
export function ProductCategory({ product }: { product: PicturedProduct }) {
  if (!product.category) return null;
  return (
    <p class="category" data-testid="product-category">
      <Link href={`/?category=${encodeURIComponent(product.category)}`}>{categoryLabel(product.category)}</Link>
    </p>
  );
}
