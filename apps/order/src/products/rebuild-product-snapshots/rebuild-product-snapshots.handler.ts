import { Inject, Injectable } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { OrderPrismaService } from '@shop/order/data-access';
import { readEventsToEnd } from '@shop/platform/messaging';
import { KAFKA, MESSAGING_OPTIONS, MessagingModuleOptions } from '@shop/platform/messaging-nest';
import { ProductUpsertedV1, Topics } from '@shop/shared/contracts';
import { upsertSnapshot } from '../record-product-snapshot/record-product-snapshot.event.controller';

/**
 * Rebuilds the product snapshot from the catalog topic, from its beginning,
 * while orders keep being placed: each product ends at its newest version
 * (older versions never overwrite newer ones, whoever applies them).
 */
@Injectable()
export class RebuildProductSnapshotsHandler {
  constructor(
    private readonly db: OrderPrismaService,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingModuleOptions,
  ) {}

  async execute(): Promise<{ events: number; updated: number }> {
    let updated = 0;
    const topic = `${this.messaging.topicPrefix ?? ''}${Topics.catalogProducts}`;
    const events = await readEventsToEnd<ProductUpsertedV1>(this.kafka, topic, 'catalog.product-upserted', async (products) => {
      await this.db.$transaction(async (tx) => {
        for (const product of products) updated += await upsertSnapshot(tx, product);
      });
    });
    return { events, updated };
  }
}
