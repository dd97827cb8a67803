import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { OrderPrismaService, OrderRepository } from '@shop/order/data-access';
import { OrderEntity } from '@shop/order/domain';
import { ProblemException } from '@shop/platform/http';
import { Outbox } from '@shop/platform/messaging';
import type { OrderView, PlaceOrderRequest } from '@shop/shared/contracts';
import { integrationEvents, toOrderView } from '../order.mapper';

/** Same key, same JSON: the same request, whatever the key order of the body. */
function requestHash(request: PlaceOrderRequest): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, canonical(x)]))
        : v;
  return createHash('sha256').update(JSON.stringify(canonical(request))).digest('hex');
}

/**
 * Places an order against the service's own product snapshot (never a call
 * to the catalog, so a catalog outage does not stop ordering), fixes the
 * prices now, stores it PENDING and writes order.placed in one transaction.
 */
@Injectable()
export class PlaceOrderHandler {
  private readonly orders = new OrderRepository();

  constructor(
    private readonly db: OrderPrismaService,
    private readonly outbox: Outbox,
  ) {}

  async execute(customerId: string, request: PlaceOrderRequest, idempotencyKey?: string): Promise<OrderView> {
    const ids = request.items.map((i) => i.productId);
    const snapshots = new Map((await this.db.productSnapshot.findMany({ where: { productId: { in: ids } } })).map((p) => [p.productId, p]));
    const unknown = request.items.map((item, index) => ({ item, index })).filter(({ item }) => !snapshots.has(item.productId));
    if (unknown.length) {
      throw new ProblemException(422, `unknown product(s): ${unknown.map((u) => u.item.productId).join(', ')}`, {
        errors: unknown.map((u) => ({ path: `items.${u.index}.productId`, message: 'no such product' })),
      });
    }
    const currencies = new Set(ids.map((id) => snapshots.get(id)?.currency));
    if (currencies.size > 1) throw new ProblemException(422, 'all items of an order must be priced in one currency');

    const order = OrderEntity.place({
      id: randomUUID(),
      customerId,
      items: request.items.map((item) => {
        const product = snapshots.get(item.productId);
        return { productId: item.productId, name: product?.name ?? '', unitPriceCents: product?.priceCents ?? 0, quantity: item.quantity };
      }),
      currency: [...currencies][0] ?? 'EUR',
      shippingAddress: request.shippingAddress,
      paymentToken: request.paymentToken,
      now: new Date(),
    });

    const existingId = await this.db.$transaction(async (tx) => {
      if (idempotencyKey) {
        const hash = requestHash(request);
        const claimed = await tx.$executeRawUnsafe(
          `insert into idempotency_keys (customer_id, key, request_hash, order_id) values ($1, $2, $3, $4::uuid) on conflict do nothing`,
          customerId,
          idempotencyKey,
          hash,
          order.snapshot.id,
        );
        if (claimed === 0) {
          const previous = await tx.idempotencyKey.findUniqueOrThrow({ where: { customerId_key: { customerId, key: idempotencyKey } } });
          if (previous.requestHash !== hash) {
            throw new ProblemException(422, 'this Idempotency-Key was used with a different request body');
          }
          return previous.orderId;
        }
      }
      await this.orders.insert(tx, order);
      await this.outbox.append(tx, integrationEvents(order, order.pullEvents()));
      return undefined;
    });
    if (existingId) {
      const existing = await this.orders.find(this.db, existingId);
      if (!existing) throw new Error(`order ${existingId} of an idempotency key is missing`);
      return toOrderView(existing);
    }
    return toOrderView(order.snapshot);
  }
}
