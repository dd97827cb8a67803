import { Inject, Injectable } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { readEventsToEnd } from '@shop/platform/messaging';
import { KAFKA, MESSAGING_OPTIONS, MessagingModuleOptions } from '@shop/platform/messaging-nest';
import { ProductUpsertedV1, Topics } from '@shop/shared/contracts';

/**
 * Every `catalog.product-upserted` the catalog topic holds, from its beginning
 * to the end it had when the read started: what the snapshot is rebuilt from.
 */
export abstract class CatalogProductHistory {
  /** Hands the products to `apply` batch by batch, the next once the last has resolved; answers how many records were read. */
  abstract read(apply: (products: ProductUpsertedV1[]) => Promise<void>): Promise<number>;
}

/** The catalog topic on the broker, through a throw-away consumer group (a malformed record is skipped: the live consumer dead-letters it). */
@Injectable()
export class KafkaCatalogProductHistory extends CatalogProductHistory {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingModuleOptions,
  ) {
    super();
  }

  read(apply: (products: ProductUpsertedV1[]) => Promise<void>): Promise<number> {
    const topic = `${this.messaging.topicPrefix ?? ''}${Topics.catalogProducts}`;
    return readEventsToEnd<ProductUpsertedV1>(this.kafka, topic, 'catalog.product-upserted', apply);
  }
}
