import { demoProduct } from '../../demo/demo-catalog.data';

/**
 * A demo product's picture and category (served by the storefront at
 * /pictures/). Other products have neither: nothing is asked of the server
 * for them, so no request ends in a 404.
 */
export function ProductPicture({ sku, large = false }: { sku: string; large?: boolean }) {
  const demo = demoProduct(sku);
  if (!demo) return null;
  return (
    <img
      class={large ? 'product-picture product-picture-large' : 'product-picture'}
      src={`/pictures/${demo.picture}.svg`}
      alt=""
      width={160}
      height={120}
      data-testid="product-picture"
    />
  );
}

export function ProductCategory({ sku }: { sku: string }) {
  const demo = demoProduct(sku);
  return demo ? <p class="category" data-testid="product-category">{demo.category}</p> : null;
}
