import { Inject, Injectable } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { OrderPrismaService } from '@shop/order/data-access';
import { readTopicsToEnd } from '@shop/platform/messaging';
import { KAFKA, MESSAGING_OPTIONS, MessagingModuleOptions } from '@shop/platform/messaging-nest';
import { parseEnvelope, ProductUpsertedV1, Topics } from '@shop/shared/contracts';
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
    const events = await readTopicsToEnd(this.kafka, [`${this.messaging.topicPrefix ?? ''}${Topics.catalogProducts}`], async (records) => {
      const products: ProductUpsertedV1[] = [];
      for (const record of records) {
        try {
          const event = parseEnvelope(JSON.parse(String(record.message.value)));
          if (event.type === 'catalog.product-upserted') products.push(event.data as ProductUpsertedV1);
        } catch {
          // A malformed record is the consumer's to dead-letter; the rebuild skips it.
        }
      }
      await this.db.$transaction(async (tx) => {
        for (const product of products) updated += await upsertSnapshot(tx, product);
      });
    });
    return { events, updated };
  }
}
