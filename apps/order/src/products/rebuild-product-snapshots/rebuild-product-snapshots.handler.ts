import { Inject, Injectable } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { ProductSnapshotRepository } from '@shop/order/domain';
import { readEventsToEnd, UnitOfWork, UnitTx } from '@shop/platform/messaging';
import { KAFKA, MESSAGING_OPTIONS, MessagingModuleOptions } from '@shop/platform/messaging-nest';
import { ProductUpsertedV1, Topics } from '@shop/shared/contracts';

/**
 * Rebuilds the product snapshot from the catalog topic, from its beginning,
 * while orders keep being placed: each product ends at its newest version
 * (older versions never overwrite newer ones, whoever applies them).
 */
@Injectable()
export class RebuildProductSnapshotsHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly snapshots: ProductSnapshotRepository<UnitTx>,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingModuleOptions,
  ) {}

  /** `events` read from the catalog topic, `updated` snapshot rows that were missing or older. */
  async execute(): Promise<{ events: number; updated: number }> {
    let updated = 0;
    const topic = `${this.messaging.topicPrefix ?? ''}${Topics.catalogProducts}`;
    const events = await readEventsToEnd<ProductUpsertedV1>(this.kafka, topic, 'catalog.product-upserted', (products) =>
      this.unitOfWork.run(async (tx) => {
        for (const { productId, sku, name, priceCents, currency, productVersion } of products) {
          this.snapshots.upsert(tx, { productId, sku, name, priceCents, currency, productVersion }, (changed) => (updated += changed ? 1 : 0));
        }
      }),
    );
    return { events, updated };
  }
}
