import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Database } from '@shop/platform/database';
import { Pruner } from '@shop/platform/messaging';
import { MessagingMetrics } from './messaging.metrics';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.tokens';

/** Runs the service's pruning of old outbox, inbox and idempotency rows for as long as the app runs. */
@Injectable()
export class PrunerService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly pruner?: Pruner;

  constructor(@Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions, db: Database, metrics: MessagingMetrics) {
    if (!options.prune) return;
    const log = new Logger('Pruner');
    this.pruner = new Pruner({
      db,
      retentionMs: options.prune.retentionMs,
      tables: options.prune.tables,
      onPruned: (table, count) => metrics.pruned.inc({ table }, count),
      log: (level, message) => log[level](message),
    });
  }

  onApplicationBootstrap(): void {
    this.pruner?.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.pruner?.stop();
  }
}
