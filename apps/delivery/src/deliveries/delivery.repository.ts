import { Injectable } from '@nestjs/common';
import { DeliveryRecord, DeliveryTx } from '@shop/delivery/data-access';
import type { DeliveryEntity } from '@shop/delivery/domain';
import { Outbox } from '@shop/platform/messaging';
import { toEntity, toOutboundEvents } from './delivery.mapper';

/** Cut-off times for the courier's automatic steps; an absent one means that step is never automatic. */
export interface DueBefore {
  scheduled?: Date;
  dispatched?: Date;
}

/**
 * Loads deliveries under a row lock and stores them with the events they
 * recorded, in the caller's transaction, so a step and its outbox row commit
 * together or not at all.
 */
@Injectable()
export class DeliveryRepository {
  constructor(private readonly outbox: Outbox) {}

  /** Waits for the row lock: a request or event must see the result of any step in flight. */
  async lock(tx: DeliveryTx, by: { id: string } | { orderId: string }): Promise<DeliveryEntity | null> {
    const [column, value] = 'id' in by ? ['id', by.id] : ['order_id', by.orderId];
    const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>(`select id from deliveries where ${column} = $1::uuid for update`, value);
    return rows[0] ? toEntity(await tx.delivery.findUniqueOrThrow({ where: { id: rows[0].id } })) : null;
  }

  /**
   * Claims one delivery whose next automatic step is due, skipping rows that
   * another courier (or a request) holds, so no step is ever taken twice.
   */
  async claimDue(tx: DeliveryTx, due: DueBefore): Promise<DeliveryEntity | null> {
    const clauses: string[] = [];
    const values: string[] = [];
    if (due.scheduled) {
      values.push(due.scheduled.toISOString());
      clauses.push(`(status = 'SCHEDULED' and created_at <= $${values.length}::timestamptz)`);
    }
    if (due.dispatched) {
      values.push(due.dispatched.toISOString());
      clauses.push(`(status = 'DISPATCHED' and dispatched_at <= $${values.length}::timestamptz)`);
    }
    if (clauses.length === 0) return null;
    const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>(
      `select id from deliveries where ${clauses.join(' or ')} order by updated_at limit 1 for update skip locked`,
      ...values,
    );
    return rows[0] ? toEntity(await tx.delivery.findUniqueOrThrow({ where: { id: rows[0].id } })) : null;
  }

  /** Inserts a new delivery unless its order has one already (the unique order_id decides); true when inserted. */
  async insert(tx: DeliveryTx, delivery: DeliveryEntity): Promise<boolean> {
    const d = delivery.snapshot;
    const { count } = await tx.delivery.createMany({
      data: [
        {
          id: d.id,
          orderId: d.orderId,
          customerId: d.customerId,
          status: d.status,
          shippingAddress: { ...d.shippingAddress },
          createdAt: d.createdAt,
          updatedAt: d.updatedAt,
          version: d.version,
        },
      ],
      skipDuplicates: true,
    });
    if (count === 0) return false;
    await this.outbox.append(tx, toOutboundEvents(delivery, delivery.pullEvents()));
    return true;
  }

  /** Writes the delivery's new state and appends the events it recorded. */
  async save(tx: DeliveryTx, delivery: DeliveryEntity): Promise<DeliveryRecord> {
    const d = delivery.snapshot;
    const record = await tx.delivery.update({
      where: { id: d.id },
      data: {
        status: d.status,
        updatedAt: d.updatedAt,
        dispatchedAt: d.dispatchedAt,
        deliveredAt: d.deliveredAt,
        cancelledAt: d.cancelledAt,
        version: d.version,
      },
    });
    await this.outbox.append(tx, toOutboundEvents(delivery, delivery.pullEvents()));
    return record;
  }
}
