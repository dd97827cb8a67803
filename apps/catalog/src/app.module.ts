import { DynamicModule, Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { CatalogDataAccessModule, CatalogPrismaService } from '@shop/catalog/data-access';
import { HealthModule, MetricsModule } from '@shop/platform/http';
import { createKafka, KafkaHealth } from '@shop/platform/messaging';
import type { CatalogConfig } from './config/catalog.config';

const KAFKA_HEALTH = Symbol('KAFKA_HEALTH');

@Module({})
export class AppModule {
  static forRoot(config: CatalogConfig, registry: Registry): DynamicModule {
    const kafkaHealth = {
      provide: KAFKA_HEALTH,
      useFactory: () => new KafkaHealth(createKafka({ clientId: config.KAFKA_CLIENT_ID, brokers: config.KAFKA_BROKERS })),
    };
    return {
      module: AppModule,
      imports: [
        CatalogDataAccessModule.forRoot({
          url: config.DATABASE_URL,
          schema: config.DATABASE_SCHEMA,
          poolSize: config.DATABASE_POOL_SIZE,
        }),
        MetricsModule.forRoot(registry),
        HealthModule.forRoot({
          inject: [CatalogPrismaService, KAFKA_HEALTH],
          factory: (db: CatalogPrismaService, kafka: KafkaHealth) => [
            { name: 'postgres', check: () => db.ping() },
            { name: 'kafka', check: () => kafka.check() },
          ],
          providers: [kafkaHealth],
        }),
      ],
    };
  }
}
