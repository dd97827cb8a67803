import type { ProductEntity } from './product.entity';
import type { StockReservationEntity } from './stock-reservation.entity';

/**
 * Where products are kept (the port; the data-access library implements it).
 * `Tx` is the use case's unit of work: writes commit with it, together with
 * the events the use case publishes.
 */
export abstract class ProductRepository<Tx = unknown> {
  /** Loads and locks these products until the unit ends, in id order (two orders of one unit never deadlock; two units take turns on a lock the service holds); unknown ids are absent. */
  abstract lockMany(tx: Tx, ids: string[]): Promise<Map<string, ProductEntity>>;
  /** A new product; a second one with the same sku fails the unit with DUPLICATE_SKU. */
  abstract add(tx: Tx, product: ProductEntity): void;
  /** Its changed fields, stock and version. */
  abstract save(tx: Tx, product: ProductEntity): void;
  /** Stores the product's picture (replacing any), in the unit that saves the product's new picture etag. */
  abstract savePicture(tx: Tx, picture: ProductPicture): void;
}

/** A product's picture: checked bytes (ProductPicture.check) and what they are. */
export interface ProductPicture {
  productId: string;
  contentType: PictureContentType;
  data: Buffer;
  sha256: string;
}

export type PictureContentType = 'image/png' | 'image/jpeg' | 'image/webp';

export abstract class ReservationRepository<Tx = unknown> {
  /** The order's reservation, locked until the unit ends; none when the order was never decided. */
  abstract lock(tx: Tx, orderId: string): Promise<StockReservationEntity | null>;
  /** A first decision for the order (one per order: a concurrent second one fails the unit). */
  abstract add(tx: Tx, reservation: StockReservationEntity): void;
  /** Its new status (a reservation's items never change). */
  abstract save(tx: Tx, reservation: StockReservationEntity): void;
}

/** One review's part in its product's rating (the catalog's read model of reviews). */
export interface RatingContribution {
  reviewId: string;
  productId: string;
  rating: number;
}

export abstract class RatingRepository<Tx = unknown> {
  /** Counts the review into its product's rating once, whoever delivers it (live consumer, replay, rebuild); true the first time. */
  abstract count(tx: Tx, review: RatingContribution): Promise<boolean>;
  /** Recomputes every product's rating from the counted reviews; returns the products whose rating changed. */
  abstract recomputeAll(): Promise<number>;
}
