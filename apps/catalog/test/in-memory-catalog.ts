import {
  CatalogError,
  ProductEntity,
  ProductPicture,
  ProductProps,
  ProductRepository,
  RatingContribution,
  RatingRepository,
  ReservationRepository,
  StockReservationEntity,
  StockReservationProps,
} from '@shop/catalog/domain';
import { type CatalogQueries, PRODUCT_ROWS } from '@shop/catalog/data-access';
import { lockShared, Statement } from '@shop/platform/database';
import { InMemoryTx, InMemoryUnitOfWork, UnitTx } from '@shop/platform/messaging';
import { CatalogEventOptions } from '../src/catalog.mapper';

const copy = <T>(value: T): T => structuredClone(value);

/** Products and their pictures kept in maps; what a unit changes is applied only if it commits. */
export class InMemoryProductRepository extends ProductRepository<UnitTx> {
  readonly rows = new Map<string, ProductProps>();
  readonly pictures = new Map<string, ProductPicture>();

  lockMany(_tx: UnitTx, ids: string[]): Promise<Map<string, ProductEntity>> {
    const found = [...new Set(ids)].sort().flatMap((id) => {
      const row = this.rows.get(id);
      return row ? [[id, ProductEntity.restore(copy(row))] as const] : [];
    });
    return Promise.resolve(new Map(found));
  }

  add(tx: UnitTx, product: ProductEntity): void {
    const props = copy(product.snapshot);
    if ([...this.rows.values()].some((p) => p.sku === props.sku)) throw new CatalogError('DUPLICATE_SKU', `a product with sku ${props.sku} exists`);
    InMemoryTx.of(tx).stage(() => this.rows.set(props.id, props));
  }

  save(tx: UnitTx, product: ProductEntity): void {
    const props = copy(product.snapshot);
    InMemoryTx.of(tx).stage(() => this.rows.set(props.id, props));
  }

  savePicture(tx: UnitTx, picture: ProductPicture): void {
    InMemoryTx.of(tx).stage(() => this.pictures.set(picture.productId, picture));
  }

  /** A product stored as it is, for a spec's starting state. */
  stored(input: Parameters<typeof ProductEntity.create>[0]): ProductProps {
    const props = copy(ProductEntity.create(input).snapshot);
    this.rows.set(props.id, props);
    return props;
  }
}

/** Reservations by order, kept as their rows; one first decision per order. */
export class InMemoryReservationRepository extends ReservationRepository<UnitTx> {
  readonly rows = new Map<string, StockReservationProps>();

  lock(_tx: UnitTx, orderId: string): Promise<StockReservationEntity | null> {
    const row = this.rows.get(orderId);
    return Promise.resolve(row ? StockReservationEntity.restore(copy(row)) : null);
  }

  add(tx: UnitTx, reservation: StockReservationEntity): void {
    const props = copy(reservation.snapshot);
    if (this.rows.has(props.orderId)) throw new Error(`order ${props.orderId} was decided already`);
    InMemoryTx.of(tx).stage(() => this.rows.set(props.orderId, props));
  }

  save(tx: UnitTx, reservation: StockReservationEntity): void {
    const props = copy(reservation.snapshot);
    InMemoryTx.of(tx).stage(() => this.rows.set(props.orderId, props));
  }
}

/** The advisory-lock keys each in-memory unit took through lockShared. */
const sharedLocks = new WeakMap<InMemoryTx, Set<string>>();

/** The keys lockShared asks Postgres to lock for these names, read off the statement it sends. */
async function sharedLockKeys(names: string[]): Promise<string[]> {
  let keys: string[] = [];
  await lockShared({ query: (_sql, values) => ((keys = (values?.[0] as string[]) ?? []), Promise.resolve([])) }, names);
  return keys;
}

async function holdsSharedLock(tx: InMemoryTx, name: string): Promise<boolean> {
  const held = sharedLocks.get(tx);
  return Boolean(held) && (await sharedLockKeys([name])).every((key) => held?.has(key));
}

/**
 * The catalog's unit double: an InMemoryUnitOfWork whose units also answer
 * the shared locks (lockShared) that a unit outside a consumer takes itself,
 * and note them for the repositories to check; any other SQL is refused still.
 */
export class InMemoryCatalogUnitOfWork extends InMemoryUnitOfWork {
  constructor() {
    super('catalog');
  }

  override run<T>(work: (tx: UnitTx) => Promise<T>): Promise<T> {
    return super.run((tx) => {
      const unit = InMemoryTx.of(tx);
      const held = new Set<string>();
      sharedLocks.set(unit, held);
      const refuse = unit.query.bind(unit);
      unit.query = (sql?: string | Statement, values?: unknown[]) => {
        if (typeof sql !== 'object' || !sql.text.includes('pg_advisory_xact_lock')) return refuse();
        for (const key of (values?.[0] as string[] | undefined) ?? []) held.add(key);
        return Promise.resolve([]);
      };
      return work(unit);
    });
  }
}

/**
 * The rating read model: each review's contribution once (by review id, the
 * table's key, seeing the unit's own), and the counters on each product's row.
 * A count runs under the products' lock (PRODUCT_ROWS), as in the service,
 * where the consumer or the rebuild takes it first (against live batches a
 * count without it could deadlock): here one without it is refused.
 */
export class InMemoryRatingRepository extends RatingRepository<UnitTx> {
  readonly contributions = new Map<string, RatingContribution>();
  /** Each product's rating_count and rating_sum (none: 0 and 0). */
  readonly counters = new Map<string, { count: number; sum: number }>();
  private readonly pending = new WeakMap<InMemoryTx, Set<string>>();

  constructor(private readonly products: InMemoryProductRepository) {
    super();
  }

  async count(tx: UnitTx, review: RatingContribution): Promise<boolean> {
    const unit = InMemoryTx.of(tx);
    if (!(await holdsSharedLock(unit, PRODUCT_ROWS))) throw new Error(`a rating is counted under the products' lock (${PRODUCT_ROWS}), which this unit does not hold`);
    const { reviewId, productId, rating } = review;
    const pending = this.pending.get(unit) ?? new Set<string>();
    this.pending.set(unit, pending);
    if (this.contributions.has(reviewId) || pending.has(reviewId)) return false;
    pending.add(reviewId);
    unit.stage(() => {
      this.contributions.set(reviewId, { reviewId, productId, rating });
      // A review of a product that is gone changes no product; its contribution is kept for a later recount.
      if (this.products.rows.has(productId)) this.counters.set(productId, add(this.counters.get(productId), rating));
    });
    return true;
  }

  recomputeAll(): Promise<number> {
    let changed = 0;
    for (const productId of this.products.rows.keys()) {
      const counted = [...this.contributions.values()].filter((c) => c.productId === productId).reduce((sum, c) => add(sum, c.rating), { count: 0, sum: 0 });
      const current = this.counters.get(productId) ?? { count: 0, sum: 0 };
      if (current.count === counted.count && current.sum === counted.sum) continue;
      this.counters.set(productId, counted);
      changed++;
    }
    return Promise.resolve(changed);
  }
}

const add = (counters: { count: number; sum: number } | undefined, rating: number) => ({ count: (counters?.count ?? 0) + 1, sum: (counters?.sum ?? 0) + rating });

/** The catalog's use cases on in-memory state (a product read back from the in-memory rows and rating counters). */
export function inMemoryCatalog() {
  const products = new InMemoryProductRepository();
  const ratings = new InMemoryRatingRepository(products);
  const queries = {
    product: (id: string) => {
      const row = products.rows.get(id);
      const at = new Date(0);
      const rating = ratings.counters.get(id) ?? { count: 0, sum: 0 };
      return Promise.resolve(row ? { ...copy(row), ratingSum: rating.sum, ratingCount: rating.count, createdAt: at, updatedAt: at } : null);
    },
  } as unknown as CatalogQueries;
  return {
    unitOfWork: new InMemoryCatalogUnitOfWork(),
    products,
    reservations: new InMemoryReservationRepository(),
    ratings,
    queries,
    eventOptions: new CatalogEventOptions(true),
  };
}
