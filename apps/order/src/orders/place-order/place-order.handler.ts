import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { OrderQueries } from '@shop/order/data-access';
import { IdempotencyKeyRepository, OrderEntity, OrderError, OrderRepository, ProductSnapshot, ProductSnapshotRepository } from '@shop/order/domain';
import { UnitOfWork, UnitTx } from '@shop/platform/messaging';
import type { OrderView, PlaceOrderRequest } from '@shop/shared/contracts';
import { toOutboundEvents, toOrderView } from '../order.mapper';
import { OrderLifecycleMetrics } from '../order-lifecycle.metrics';

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
 * prices now, stores it PENDING and writes order.placed in one unit of work:
 * without an Idempotency-Key that is a single statement (order, items,
 * history and outbox row).
 */
@Injectable()
export class PlaceOrderHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly orders: OrderRepository<UnitTx>,
    private readonly products: ProductSnapshotRepository<UnitTx>,
    private readonly keys: IdempotencyKeyRepository<UnitTx>,
    private readonly queries: OrderQueries,
    private readonly metrics: OrderLifecycleMetrics,
  ) {}

  /**
   * What placing `request` would refuse now (an unknown product, mixed currencies), without placing it: a
   * checkout that must wait in line is checked before it gets a ticket.
   */
  async check(request: PlaceOrderRequest): Promise<{ snapshots: Map<string, ProductSnapshot>; currency: string }> {
    const ids = request.items.map((i) => i.productId);
    const snapshots = await this.products.findMany(ids);
    const unknown = request.items.map((item, index) => ({ item, index })).filter(({ item }) => !snapshots.has(item.productId));
    if (unknown.length) {
      throw new OrderError(
        'UNKNOWN_PRODUCT',
        `unknown product(s): ${unknown.map((u) => u.item.productId).join(', ')}`,
        unknown.map((u) => ({ path: `items.${u.index}.productId`, message: 'no such product' })),
      );
    }
    const currencies = new Set(ids.map((id) => snapshots.get(id)?.currency));
    if (currencies.size > 1) throw new OrderError('MIXED_CURRENCIES', 'all items of an order must be priced in one currency');
    return { snapshots, currency: [...currencies][0] ?? 'EUR' };
  }

  async execute(customerId: string, request: PlaceOrderRequest, idempotencyKey?: string): Promise<OrderView> {
    const { snapshots, currency } = await this.check(request);
    const order = OrderEntity.place({
      id: randomUUID(),
      customerId,
      items: request.items.map((item) => {
        const product = snapshots.get(item.productId);
        return { productId: item.productId, name: product?.name ?? '', unitPriceCents: product?.priceCents ?? 0, quantity: item.quantity };
      }),
      currency,
      shippingAddress: request.shippingAddress,
      paymentToken: request.paymentToken,
      now: new Date(),
    });

    const existingId = await this.unitOfWork.run(async (tx) => {
      if (idempotencyKey) {
        const hash = requestHash(request);
        const claim = await this.keys.claim(tx, { customerId, key: idempotencyKey, requestHash: hash, orderId: order.snapshot.id });
        if (!claim.claimed) {
          if (claim.requestHash !== hash) throw new OrderError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request body');
          return claim.orderId;
        }
      }
      this.orders.add(tx, order);
      const events = order.pullEvents();
      tx.publish(...toOutboundEvents(order, events));
      this.metrics.afterCommit(tx, order.snapshot, events);
      return undefined;
    });
    if (existingId) {
      const existing = await this.queries.find(existingId);
      if (!existing) throw new Error(`order ${existingId} of an idempotency key is missing`);
      return toOrderView(existing);
    }
    return toOrderView(order.snapshot);
  }
}
