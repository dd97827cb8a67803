import { OrderEntity, OrderProps, OrderStatus, ShippingAddress } from '@shop/order/domain';
import { afterPosition } from '@shop/platform/database';
import type { Prisma } from './generated/prisma/client';

type Tx = Prisma.TransactionClient;

const include = { items: { orderBy: { productId: 'asc' } }, history: { orderBy: { id: 'asc' } } } as const;
type OrderRow = Prisma.OrderGetPayload<{ include: typeof include }>;

function toProps(row: OrderRow): OrderProps {
  return {
    id: row.id,
    customerId: row.customerId,
    status: row.status,
    cancelReason: row.cancelReason,
    items: row.items.map((i) => ({ productId: i.productId, name: i.name, unitPriceCents: i.unitPriceCents, quantity: i.quantity })),
    totalCents: Number(row.totalCents),
    currency: row.currency,
    shippingAddress: row.shippingAddress as unknown as ShippingAddress,
    paymentToken: row.paymentToken,
    history: row.history.map((h) => ({ status: h.status as OrderStatus, at: h.at })),
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Loads and stores the order aggregate: the order row, its items and its status history. */
export class OrderRepository {
  async insert(tx: Tx, order: OrderEntity): Promise<void> {
    const o = order.snapshot;
    await tx.order.create({
      data: {
        id: o.id,
        customerId: o.customerId,
        status: o.status,
        cancelReason: o.cancelReason,
        totalCents: BigInt(o.totalCents),
        currency: o.currency,
        shippingAddress: o.shippingAddress as unknown as Prisma.InputJsonValue,
        paymentToken: o.paymentToken,
        version: o.version,
        createdAt: o.createdAt,
        updatedAt: o.updatedAt,
        items: { create: o.items.map((i) => ({ productId: i.productId, name: i.name, unitPriceCents: i.unitPriceCents, quantity: i.quantity })) },
        history: { create: o.history.map((h) => ({ status: h.status, at: h.at })) },
      },
      // Nothing to read back: the entity already holds the row. Saves the select Prisma would run after the inserts.
      select: { id: true },
    });
  }

  /** With `lock`, the row stays locked until the transaction ends, so transitions on one order run one at a time. */
  async load(tx: Tx, id: string, options: { lock?: boolean } = {}): Promise<OrderEntity | null> {
    if (options.lock) {
      const locked = await tx.$queryRawUnsafe<unknown[]>('select 1 from orders where id = $1::uuid for update', id);
      if (locked.length === 0) return null;
    }
    const row = await tx.order.findUnique({ where: { id }, include });
    return row ? OrderEntity.restore(toProps(row)) : null;
  }

  async find(db: Pick<Tx, 'order'>, id: string): Promise<OrderProps | null> {
    const row = await db.order.findUnique({ where: { id }, include });
    return row ? toProps(row) : null;
  }

  /** Newest first, keyset-paginated by (createdAt, id). */
  async listForCustomer(
    db: Pick<Tx, 'order'>,
    customerId: string,
    page: { limit: number; after?: { createdAt: Date; id: string } },
  ): Promise<OrderProps[]> {
    const where: Prisma.OrderWhereInput = { customerId, ...(page.after ? afterPosition(page.after) : {}) };
    const rows = await db.order.findMany({ where, include, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: page.limit });
    return rows.map(toProps);
  }

  /**
   * Writes a transition: the order row (guarded by the version it was loaded
   * at) and the history entries added since.
   */
  async save(tx: Tx, order: OrderEntity, loadedVersion: number, loadedHistoryLength: number): Promise<void> {
    const o = order.snapshot;
    const updated = await tx.order.updateMany({
      where: { id: o.id, version: loadedVersion },
      data: { status: o.status, cancelReason: o.cancelReason, paymentToken: o.paymentToken, version: o.version, updatedAt: o.updatedAt },
    });
    if (updated.count !== 1) throw new Error(`order ${o.id} changed concurrently (expected version ${loadedVersion})`);
    const added = o.history.slice(loadedHistoryLength);
    if (added.length) await tx.orderStatusChange.createMany({ data: added.map((h) => ({ orderId: o.id, status: h.status, at: h.at })) });
  }
}
