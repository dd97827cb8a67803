import { DynamicModule, Module, Type } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { AuthModule } from '@shop/platform/auth';
import { HealthModule, MetricsModule } from '@shop/platform/http';
import { KafkaHealth } from '@shop/platform/messaging';
import { MessagingModule } from '@shop/platform/messaging-nest';
import type { ServiceName } from '@shop/shared/contracts';

/** What serviceConfigShape parses. */
export interface ServiceConfig {
  DATABASE_URL: string;
  DATABASE_SCHEMA: string;
  KAFKA_BROKERS: string[];
  KAFKA_TOPIC_PREFIX: string;
  OUTBOX_POLL_INTERVAL_MS: number;
  RETRY_DELAYS_MS: number[];
  JWT_SECRET?: string;
  JWT_JWKS_URL?: string;
  JWT_JWKS_ALGORITHMS?: string[];
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
}

export interface Pingable {
  ping(): Promise<void>;
}

/**
 * The parts every service has: metrics, health (its database and Kafka),
 * messaging (outbox, relay, consumers), and token checks on every route.
 */
@Module({})
export class ServiceModule {
  static forRoot(options: {
    service: ServiceName;
    config: ServiceConfig;
    registry: Registry;
    /** The service's Prisma service, pinged by readiness. */
    database: Type<Pingable>;
  }): DynamicModule {
    const { config } = options;
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
          consumer: { retryDelaysMs: config.RETRY_DELAYS_MS },
        }),
        HealthModule.forRoot({
          inject: [options.database, KafkaHealth],
          factory: (db: Pingable, kafka: KafkaHealth) => [
            { name: 'postgres', check: () => db.ping() },
            { name: 'kafka', check: () => kafka.check() },
          ],
        }),
      ],
    };
  }
}
