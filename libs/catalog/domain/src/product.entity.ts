import { CatalogError } from './catalog.errors';

export interface ProductProps {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  stock: number;
  version: number;
  /** A short label the storefront browses by, or null. */
  category: string | null;
  /** The sha256 of the product's picture, or null without one. */
  pictureEtag: string | null;
}

/**
 * What happened to a product, in the order it happened, each at the version it gave the product; the app's
 * mapper announces each as the product others may copy. Stock taken or given back for orders is not one of them.
 */
export type ProductEvent =
  | { type: 'created'; version: number }
  | { type: 'updated'; version: number }
  | { type: 'picture-changed'; version: number };

const CURRENCY = /^[A-Z]{3}$/;
/** Lower-case words joined by single hyphens, e.g. `kitchen` or `garden-tools`. */
export const CATEGORY = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SHA256 = /^[0-9a-f]{64}$/;
const MAX_CENTS = 100_000_000_00;
const MAX_STOCK = 1_000_000_000;

/**
 * A product for sale. It changes only through named actions, each of which
 * checks its rule, bumps the version that events and read models carry and,
 * for what others may copy of it, records an event.
 */
export class ProductEntity {
  private pending: ProductEvent[] = [];

  private constructor(private props: ProductProps) {}

  static create(
    input: Omit<ProductProps, 'version' | 'description' | 'category' | 'pictureEtag'> & { description?: string; category?: string | null },
  ): ProductEntity {
    const props: ProductProps = { ...input, description: input.description ?? '', category: input.category ?? null, pictureEtag: null, version: 1 };
    ProductEntity.check(props);
    const product = new ProductEntity(props);
    product.pending.push({ type: 'created', version: 1 });
    return product;
  }

  static restore(props: ProductProps): ProductEntity {
    return new ProductEntity({ ...props });
  }

  get snapshot(): Readonly<ProductProps> {
    return { ...this.props };
  }

  /** The events recorded since the last call, oldest first; the caller publishes them with the state. */
  pullEvents(): ProductEvent[] {
    const events = this.pending;
    this.pending = [];
    return events;
  }

  /** Name, description, price, stock and category (null: none) are what an admin may change. */
  update(changes: Partial<Pick<ProductProps, 'name' | 'description' | 'priceCents' | 'stock' | 'category'>>): void {
    const next = { ...this.props, ...changes, version: this.props.version + 1 };
    ProductEntity.check(next);
    this.props = next;
    this.pending.push({ type: 'updated', version: next.version });
  }

  /** A new picture (its sha256); a new version, so events and read models learn of it. The same picture again changes nothing. */
  changePicture(etag: string): void {
    if (!SHA256.test(etag)) throw new CatalogError('INVALID_PRODUCT', 'a picture is named by its sha256 in hex');
    if (etag === this.props.pictureEtag) return;
    this.props = { ...this.props, pictureEtag: etag, version: this.props.version + 1 };
    this.pending.push({ type: 'picture-changed', version: this.props.version });
  }

  /** Takes stock for an order; all or nothing for this product. */
  reserve(quantity: number): void {
    ProductEntity.checkQuantity(quantity);
    if (quantity > this.props.stock) {
      throw new CatalogError('INSUFFICIENT_STOCK', `only ${this.props.stock} of ${this.props.sku} left, ${quantity} asked`);
    }
    this.props = { ...this.props, stock: this.props.stock - quantity, version: this.props.version + 1 };
  }

  /** Gives back stock that an order had reserved. */
  release(quantity: number): void {
    ProductEntity.checkQuantity(quantity);
    this.props = { ...this.props, stock: this.props.stock + quantity, version: this.props.version + 1 };
  }

  private static checkQuantity(quantity: number): void {
    if (!Number.isSafeInteger(quantity) || quantity <= 0) {
      throw new CatalogError('INVALID_PRODUCT', `quantity must be a positive integer, got ${quantity}`);
    }
  }

  private static check(p: ProductProps): void {
    const problems: string[] = [];
    if (!p.sku.trim() || p.sku.length > 64) problems.push('sku must be 1 to 64 characters');
    if (!p.name.trim() || p.name.length > 200) problems.push('name must be 1 to 200 characters');
    if (p.description.length > 5_000) problems.push('description must be at most 5000 characters');
    if (!Number.isSafeInteger(p.priceCents) || p.priceCents < 0 || p.priceCents > MAX_CENTS) {
      problems.push(`priceCents must be an integer from 0 to ${MAX_CENTS}`);
    }
    if (p.category !== null && (p.category.length > 64 || !CATEGORY.test(p.category))) {
      problems.push('category must be 1 to 64 lower-case letters, digits and single hyphens');
    }
    if (!CURRENCY.test(p.currency)) problems.push('currency must be an ISO 4217 code such as EUR');
    if (!Number.isSafeInteger(p.stock) || p.stock < 0 || p.stock > MAX_STOCK) {
      problems.push(`stock must be an integer from 0 to ${MAX_STOCK}`);
    }
    if (problems.length) throw new CatalogError('INVALID_PRODUCT', problems.join('; '));
  }
}
