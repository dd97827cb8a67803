import {
  CatalogError,
  ProductEntity,
  ProductPicture,
  ProductProps,
  ProductRepository,
  ReservationRepository,
  StockReservationEntity,
  StockReservationProps,
} from '@shop/catalog/domain';
import type { CatalogQueries } from '@shop/catalog/data-access';
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

/** The catalog's use cases on in-memory state (a product read back from the in-memory rows, without ratings). */
export function inMemoryCatalog() {
  const products = new InMemoryProductRepository();
  const queries = {
    product: (id: string) => {
      const row = products.rows.get(id);
      const at = new Date(0);
      return Promise.resolve(row ? { ...copy(row), ratingSum: 0, ratingCount: 0, createdAt: at, updatedAt: at } : null);
    },
  } as unknown as CatalogQueries;
  return {
    unitOfWork: new InMemoryUnitOfWork('catalog'),
    products,
    reservations: new InMemoryReservationRepository(),
    queries,
    eventOptions: new CatalogEventOptions(true),
  };
}
