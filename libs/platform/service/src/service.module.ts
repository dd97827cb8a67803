import { DynamicModule, Module } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { Database, DatabaseOptions, processStatementCounts } from '@shop/platform/database';
import { AuthModule } from '@shop/platform/auth';
import { HealthModule, MetricsModule } from '@shop/platform/http';
import { KafkaHealth, processKafkaRequests, PruneTable } from '@shop/platform/messaging';
import { KafkaEventTransport, MessagingModule, OutboxRelayService } from '@shop/platform/messaging-nest';
import type { ServiceName } from '@shop/shared/contracts';

/** What serviceConfigShape parses. */
export interface ServiceConfig {
  DATABASE_URL: string;
  DATABASE_SCHEMA: string;
  DATABASE_POOL_SIZE: number;
  DATABASE_STATEMENT_TIMEOUT_MS: number;
  DATABASE_LOCK_TIMEOUT_MS: number;
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: number;
  KAFKA_BROKERS: string[];
  KAFKA_TOPIC_PREFIX: string;
  OUTBOX_POLL_INTERVAL_MS: number;
  OUTBOX_MAX_PENDING_SECONDS: number;
  MESSAGING_RETENTION_HOURS: number;
  RETRY_DELAYS_MS: number[];
  CONSUMER_CONCURRENCY: number;
  RETRY_CONSUMER_CONCURRENCY: number;
  JWT_SECRET?: string;
  JWT_JWKS_URL?: string;
  JWT_JWKS_ALGORITHMS?: string[];
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
}

/** The service's database as its config says: its URL, schema, pool and the server-side timeouts. */
export function databaseOptions(config: ServiceConfig): DatabaseOptions {
  return {
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    poolSize: config.DATABASE_POOL_SIZE,
    timeouts: {
      statementMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      lockMs: config.DATABASE_LOCK_TIMEOUT_MS,
      idleInTransactionMs: config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
  };
}

/**
 * The parts every service has: metrics, health, messaging (outbox, relay,
 * consumers), and token checks on every route. Ready (`/health/ready`) means
 * able to serve requests: the database answers with every migration applied.
 * The status (`/health/status`) adds the rest of its work: the broker answers,
 * every consumer group member has joined and runs, and the outbox is being
 * published (its oldest waiting row is younger than OUTBOX_MAX_PENDING_SECONDS).
 */
@Module({})
export class ServiceModule {
  static forRoot(options: {
    service: ServiceName;
    config: ServiceConfig;
    registry: Registry;
    /** The service's own tables pruned with the messaging tables (the order service's idempotency keys). */
    prune?: PruneTable[];
  }): DynamicModule {
    const { config } = options;
    countStatementsIn(options.registry);
    return {
      module: ServiceModule,
      imports: [
        MetricsModule.forRoot(options.registry),
        AuthModule.forRoot({
          secret: config.JWT_SECRET,
          jwksUrl: config.JWT_JWKS_URL,
          jwksAlgorithms: config.JWT_JWKS_ALGORITHMS,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
        MessagingModule.forRoot({
          service: options.service,
          brokers: config.KAFKA_BROKERS,
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
          database: { url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA },
          relay: { pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS },
          prune: { retentionMs: config.MESSAGING_RETENTION_HOURS * 3_600_000, tables: options.prune },
          consumer: {
            retryDelaysMs: config.RETRY_DELAYS_MS,
            partitionsConsumedConcurrently: config.CONSUMER_CONCURRENCY,
            retryPartitionsConsumedConcurrently: config.RETRY_CONSUMER_CONCURRENCY,
          },
        }),
        HealthModule.forRoot({
          inject: [Database, KafkaHealth, KafkaEventTransport, OutboxRelayService],
          factory: (db: Database, kafka: KafkaHealth, transport: KafkaEventTransport, relay: OutboxRelayService) => [
            { name: 'postgres', readiness: true, check: () => db.ping() },
            { name: 'migrations', readiness: true, check: () => db.checkMigrations() },
            { name: 'kafka', readiness: false, check: () => kafka.check() },
            { name: 'consumers', readiness: false, check: async () => consumersRunning(transport) },
            { name: 'outbox', readiness: false, check: () => outboxPublishing(relay, config.OUTBOX_MAX_PENDING_SECONDS) },
          ],
        }),
      ],
    };
  }
}

function consumersRunning(transport: KafkaEventTransport): void {
  if (!transport.consumes) return;
  const groups = transport.consumerHealth();
  if (groups.length === 0) throw new Error('consumers not started');
  const down = groups.filter((g) => g.status !== 'running');
  if (down.length) {
    throw new Error(down.map((g) => `${g.group} ${g.status}${g.lastError ? ` (${g.lastError})` : ''}`).join('; '));
  }
}

async function outboxPublishing(relay: OutboxRelayService, maxPendingSeconds: number): Promise<void> {
  if (!relay.enabled) return;
  const health = await relay.relay.health();
  const problems: string[] = [];
  if (health.oldestPendingSeconds > maxPendingSeconds) {
    const why = health.lastError ? `: ${health.lastError}` : health.leader ? '' : ' (no relay holds the lead)';
    problems.push(`the oldest unpublished event waits for ${Math.round(health.oldestPendingSeconds)} s${why}`);
  }
  if (health.failedRows) problems.push(`${health.failedRows} event(s) refused by the broker for good wait for an operator`);
  for (const blocked of health.blockedTopics) problems.push(`${blocked.topic} cannot take events: ${blocked.error}`);
  if (problems.length) throw new Error(problems.join('; '));
}

/**
 * The cost per order the bench reports: statements and transactions this
 * process has sent to its database, and requests to the broker.
 */
function countStatementsIn(registry: Registry): void {
  for (const [name, read, help] of [
    ['db_statements_total', () => processStatementCounts.statements, 'SQL statements sent to the database, BEGIN and COMMIT included'],
    ['db_transactions_total', () => processStatementCounts.transactions, 'Transactions: explicit ones, plus statements sent outside one'],
    ['kafka_requests_total', () => processKafkaRequests.count, 'Requests sent to the Kafka brokers by every client of the process'],
  ] as const) {
    // Counted in a plain number where it happens (no label lookup per statement), handed over when scraped.
    let reported = 0;
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = read();
        this.inc(now - reported);
        reported = now;
      },
    });
  }
}
