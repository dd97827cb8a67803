import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import type { OrderDomainEvent, OrderProps } from '@shop/order/domain';
import { METRICS_REGISTRY } from '@shop/platform/http';
import type { UnitTx } from '@shop/platform/messaging';

/** The outcomes counted, by the domain event that reaches them. */
const OUTCOMES: Partial<Record<OrderDomainEvent['type'], string>> = { placed: 'placed', confirmed: 'confirmed', delivered: 'delivered', cancelled: 'cancelled' };

/**
 * How orders fare, where it is known: this service places them and follows
 * their lifecycle. `orders_total{outcome}` (placed, confirmed, delivered,
 * cancelled, with the cancel's reason) and, from the order's creation,
 * `order_placed_to_confirmed_seconds` and `order_placed_to_delivered_seconds`.
 * Counted once the unit of work has committed, so a rolled-back or retried
 * step is never counted twice; each replica counts the orders it moved.
 */
@Injectable()
export class OrderLifecycleMetrics {
  private readonly outcomes: Counter<'outcome' | 'reason'>;
  private readonly toConfirmed: Histogram<string>;
  private readonly toDelivered: Histogram<string>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.outcomes = new Counter({
      name: 'orders_total',
      help: 'Orders that reached an outcome: placed, confirmed, delivered, cancelled (reason: OUT_OF_STOCK, PAYMENT_DECLINED, CUSTOMER)',
      labelNames: ['outcome', 'reason'],
      registers: [registry],
    });
    this.toConfirmed = new Histogram({
      name: 'order_placed_to_confirmed_seconds',
      help: 'From placing an order to its confirmation (stock reserved, payment authorised)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    this.toDelivered = new Histogram({
      name: 'order_placed_to_delivered_seconds',
      help: "From placing an order to its delivery (the courier's pace included)",
      buckets: [1, 2.5, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600],
      registers: [registry],
    });
  }

  /** Records what `events` did to `order` once `tx` commits. */
  afterCommit(tx: UnitTx, order: OrderProps, events: OrderDomainEvent[]): void {
    const counted = events.filter((e) => OUTCOMES[e.type]);
    if (counted.length === 0) return;
    tx.afterCommit(() => {
      const now = order.updatedAt.getTime();
      const since = (now - order.createdAt.getTime()) / 1000;
      for (const event of counted) {
        this.outcomes.inc({ outcome: OUTCOMES[event.type], reason: event.type === 'cancelled' ? event.reason : '' });
        if (event.type === 'confirmed') this.toConfirmed.observe(since);
        if (event.type === 'delivered') this.toDelivered.observe(since);
      }
    });
  }
}
