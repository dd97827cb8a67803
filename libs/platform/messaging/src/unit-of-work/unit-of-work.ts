import { Database, PublishingTx, UnitOfWork as PersistenceUnitOfWork } from '@shop/platform/database';
import type { Outbox, OutboundEvent, PublishedEvent } from '../outbox/outbox';

/** What a use case sees of its unit of work: reads, queued writes, and the integration events it publishes. */
export type UnitTx = PublishingTx<OutboundEvent>;

/**
 * The platform's unit of work (@shop/platform/database) with the service's
 * outbox plugged in: a use case's state change and the integration events it
 * publishes commit in one statement or transaction, so an event exists if and
 * only if its change does. Every service injects this one.
 */
export class UnitOfWork extends PersistenceUnitOfWork<OutboundEvent, PublishedEvent> {
  constructor(db: Database, outbox: Outbox) {
    super(db, outbox);
  }
}
