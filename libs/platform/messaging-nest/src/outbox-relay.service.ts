import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Database } from '@shop/platform/database';
import { MessageSender, OutboxRelay } from '@shop/platform/messaging';
import { publishAsContinuations } from '@shop/platform/telemetry';
import { MessagingMetrics } from './messaging.metrics';
import { KAFKA_PRODUCER, MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.tokens';

/** Runs the service's outbox relay for as long as the app runs. */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly relay: OutboxRelay;
  private readonly log = new Logger('OutboxRelay');

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    @Inject(KAFKA_PRODUCER) producer: MessageSender,
    db: Database,
    private readonly metrics: MessagingMetrics,
  ) {
    this.relay = new OutboxRelay({
      db,
      databaseUrl: options.database.url,
      schema: options.database.schema,
      producer,
      topicPrefix: options.topicPrefix,
      pollIntervalMs: options.relay?.pollIntervalMs,
      batchSize: options.relay?.batchSize,
      log: (level, message) => this.log[level === 'info' ? 'log' : level](message),
      afterPublish: chaosCrashAfterPublish(),
      wrapSend: publishAsContinuations,
      onPublished: (count, lags) => {
        metrics.published.inc(count);
        for (const lag of lags) metrics.publishLag.observe(lag);
      },
    });
    metrics.backlogSource = () => this.relay.backlog();
    metrics.relaySource = () => this.relay.health();
  }

  get enabled(): boolean {
    return this.options.relay?.enabled !== false;
  }

  onApplicationBootstrap(): void {
    if (this.enabled) this.relay.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
  }
}

/**
 * CHAOS_OUTBOX_CRASH_AFTER_PUBLISH=1 makes the process die (SIGKILL, no
 * cleanup) right after the broker acknowledged its first outbox batch and
 * before the rows are marked published: the chaos tests' "kill -9 between
 * publish and mark". Unset in every real deployment.
 */
function chaosCrashAfterPublish(): (() => void) | undefined {
  if (process.env.CHAOS_OUTBOX_CRASH_AFTER_PUBLISH !== '1') return undefined;
  return () => process.kill(process.pid, 'SIGKILL');
}
