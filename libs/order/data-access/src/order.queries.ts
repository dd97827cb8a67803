import { Injectable } from '@nestjs/common';
import type { OrderProps, OrderStatus, ShippingAddress } from '@shop/order/domain';
import { afterPosition } from '@shop/platform/database';
import type { Prisma } from './generated/prisma/client';
import { OrderPrismaService } from './order-prisma.service';

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
    cancelRequestedAt: row.cancelRequestedAt,
    history: row.history.map((h) => ({ status: h.status as OrderStatus, at: h.at, ...(h.note ? { note: h.note } : {}) })),
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The order views the read routes serve (Prisma: these are not the hot path). */
@Injectable()
export class OrderQueries {
  constructor(private readonly db: OrderPrismaService) {}

  async find(id: string): Promise<OrderProps | null> {
    const row = await this.db.order.findUnique({ where: { id }, include });
    return row ? toProps(row) : null;
  }

  /** Newest first, keyset-paginated by (createdAt, id). */
  async listForCustomer(customerId: string, page: { limit: number; after?: { createdAt: Date; id: string } }): Promise<OrderProps[]> {
    const where: Prisma.OrderWhereInput = { customerId, ...(page.after ? afterPosition(page.after) : {}) };
    const rows = await this.db.order.findMany({ where, include, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: page.limit });
    return rows.map(toProps);
  }
}
