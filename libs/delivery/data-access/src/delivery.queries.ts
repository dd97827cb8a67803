import { Injectable } from '@nestjs/common';
import type { DeliveryProps, ShippingAddress } from '@shop/delivery/domain';
import type { Delivery } from './generated/prisma/client';
import { DeliveryPrismaService } from './delivery-prisma.service';

function toProps(row: Delivery): DeliveryProps {
  return {
    id: row.id,
    orderId: row.orderId,
    customerId: row.customerId,
    status: row.status,
    shippingAddress: row.shippingAddress as unknown as ShippingAddress,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    dispatchedAt: row.dispatchedAt,
    deliveredAt: row.deliveredAt,
    cancelledAt: row.cancelledAt,
    version: row.version,
  };
}

/** The delivery views the read routes serve (Prisma: these are not the hot path). */
@Injectable()
export class DeliveryQueries {
  constructor(private readonly db: DeliveryPrismaService) {}

  /** The order's one delivery, if it has one yet. */
  async findByOrder(orderId: string): Promise<DeliveryProps | null> {
    const row = await this.db.delivery.findUnique({ where: { orderId: orderId.toLowerCase() } });
    return row ? toProps(row) : null;
  }
}
