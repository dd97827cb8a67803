import { Injectable } from '@nestjs/common';
import {
  CatalogError,
  ProductEntity,
  ProductPicture,
  ProductRepository,
  RatingContribution,
  RatingRepository,
  ReservationRepository,
  StockReservationEntity,
  StockReservationProps,
} from '@shop/catalog/domain';
import { Database, lockShared, statement, type Tx } from '@shop/platform/database';
import { PRODUCT_ROWS } from './product-rows';

interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  price_cents: number;
  currency: string;
  stock: number;
  version: number;
  category: string | null;
  picture_etag: string | null;
}

const LOCK_PRODUCTS = statement(
  'select id, sku, name, description, price_cents, currency, stock, version, category, picture_etag from products where id = any($1::uuid[]) order by id for update',
);
const INSERT_PRODUCT = `insert into products (id, sku, name, description, price_cents, currency, stock, version, category)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;
const UPDATE_PRODUCT = `update products set name = $2, description = $3, price_cents = $4, stock = $5, version = $6, category = $7,
  picture_etag = $8, updated_at = now() where id = $1`;
const UPSERT_PICTURE = `insert into product_pictures (product_id, content_type, size, sha256, data) values ($1, $2, $3, $4, $5)
  on conflict (product_id) do update set content_type = excluded.content_type, size = excluded.size, sha256 = excluded.sha256,
  data = excluded.data, updated_at = now()`;

function toEntity(r: ProductRow): ProductEntity {
  return ProductEntity.restore({
    id: r.id,
    sku: r.sku,
    name: r.name,
    description: r.description,
    priceCents: r.price_cents,
    currency: r.currency,
    stock: r.stock,
    version: r.version,
    category: r.category,
    pictureEtag: r.picture_etag,
  });
}

/** Products on the service's own SQL, inside the use case's unit of work. */
@Injectable()
export class PgProductRepository extends ProductRepository<Tx> {
  async lockMany(tx: Tx, ids: string[]): Promise<Map<string, ProductEntity>> {
    const rows = await tx.query<ProductRow>(LOCK_PRODUCTS, [[...new Set(ids)].sort()]);
    return new Map(rows.map((r) => [r.id, toEntity(r)]));
  }

  add(tx: Tx, product: ProductEntity): void {
    const p = product.snapshot;
    tx.write({
      sql: `${INSERT_PRODUCT} on conflict (sku) do nothing`,
      values: [p.id, p.sku, p.name, p.description, p.priceCents, p.currency, p.stock, p.version, p.category],
      key: `product:${p.id}`,
      expect: (n) => {
        if (n === 0) throw new CatalogError('DUPLICATE_SKU', `a product with sku ${p.sku} already exists`);
      },
    });
  }

  save(tx: Tx, product: ProductEntity): void {
    const p = product.snapshot;
    tx.write({
      sql: UPDATE_PRODUCT,
      values: [p.id, p.name, p.description, p.priceCents, p.stock, p.version, p.category, p.pictureEtag],
      key: `product:${p.id}`,
    });
  }

  savePicture(tx: Tx, picture: ProductPicture): void {
    tx.write({
      sql: UPSERT_PICTURE,
      values: [picture.productId, picture.contentType, picture.data.length, picture.sha256, picture.data],
      key: `picture:${picture.productId}`,
    });
  }
}

const LOCK_RESERVATION = statement('select order_id as "orderId", status, items from stock_reservations where order_id = $1 for update');

@Injectable()
export class PgReservationRepository extends ReservationRepository<Tx> {
  async lock(tx: Tx, orderId: string): Promise<StockReservationEntity | null> {
    const [row] = await tx.query<StockReservationProps>(LOCK_RESERVATION, [orderId]);
    return row ? StockReservationEntity.restore(row) : null;
  }

  add(tx: Tx, reservation: StockReservationEntity): void {
    const r = reservation.snapshot;
    tx.write({
      sql: `insert into stock_reservations (order_id, status, items) values ($1, $2::"ReservationStatus", $3::jsonb)`,
      values: [r.orderId, r.status, JSON.stringify(r.items)],
      key: `reservation:${r.orderId}`,
    });
  }

  save(tx: Tx, reservation: StockReservationEntity): void {
    const r = reservation.snapshot;
    tx.write({
      sql: `update stock_reservations set status = $2::"ReservationStatus", updated_at = now() where order_id = $1`,
      values: [r.orderId, r.status],
      key: `reservation:${r.orderId}`,
    });
  }
}

const CONTRIBUTE = statement('insert into rating_contributions (review_id, product_id, rating) values ($1, $2, $3) on conflict do nothing returning 1');
const ADD_RATING = 'update products set rating_count = rating_count + 1, rating_sum = rating_sum + $2 where id = $1';

@Injectable()
export class PgRatingRepository extends RatingRepository<Tx> {
  constructor(private readonly db: Database) {
    super();
  }

  /** The contribution row makes a review count once; the product's counters move only when it is new. */
  async count(tx: Tx, review: RatingContribution): Promise<boolean> {
    const inserted = await tx.query(CONTRIBUTE, [review.reviewId, review.productId, review.rating]);
    if (inserted.length === 0) return false;
    // A review of a product that is gone changes no product; its contribution is kept for a later rebuild.
    tx.write({ sql: ADD_RATING, values: [review.productId, review.rating], key: `product:${review.productId}` });
    return true;
  }

  recomputeAll(): Promise<number> {
    return this.db.transaction(async (tx) => {
      // Live consumers wait the few milliseconds this takes, so no review is counted twice or lost; the
      // products' lock first, as they take it, so a batch holding it never waits for this one's rows.
      await lockShared(tx, [PRODUCT_ROWS]);
      await tx.execute('lock table rating_contributions in share mode');
      return tx.execute(`
        update products p set rating_count = coalesce(c.n, 0), rating_sum = coalesce(c.s, 0)
          from products q left join (select product_id, count(*)::int as n, sum(rating)::int as s
                                       from rating_contributions group by product_id) c on c.product_id = q.id
         where p.id = q.id and (p.rating_count, p.rating_sum) is distinct from (coalesce(c.n, 0), coalesce(c.s, 0))`);
    });
  }
}
