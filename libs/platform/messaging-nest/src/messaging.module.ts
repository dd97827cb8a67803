import {
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { Kafka, Partitioners } from 'kafkajs';
import { Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@shop/platform/http';
import { allEventVersions, EventCatalog } from '@shop/shared/contracts';
import { Database } from '@shop/platform/database';
import { countKafkaRequests, createKafka, ensureTopics, KafkaHealth, Outbox, ReplaceableProducer, UnitOfWork } from '@shop/platform/messaging';
import { currentTraceHeaders } from '@shop/platform/telemetry';
import { KafkaEventTransport } from './kafka-event.transport';
import { MessagingAdminHttpController } from './messaging-admin.http.controller';
import { OutboxRelayService } from './outbox-relay.service';
import { PrunerService } from './pruner.service';
import { MessagingMetrics } from './messaging.metrics';
import { KAFKA, KAFKA_PRODUCER, MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.tokens';

export { KAFKA, KAFKA_PRODUCER, MESSAGING_OPTIONS } from './messaging.tokens';
export type { MessagingModuleOptions } from './messaging.tokens';
export { MessagingMetrics } from './messaging.metrics';
export { OutboxRelayService } from './outbox-relay.service';
export { PrunerService } from './pruner.service';

/**
 * Kafka for one service: a client, one idempotent acks=all producer, the
 * unit of work (with the outbox writer), the relay, the consumer transport,
 * broker health, pruning, metrics.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      controllers: [MessagingAdminHttpController],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: KAFKA,
          useFactory: () => {
            const log = new Logger('kafkajs');
            return countKafkaRequests(createKafka({ clientId: options.service, brokers: options.brokers, log: (level, msg) => log[level](msg) }));
          },
        },
        {
          provide: KAFKA_PRODUCER,
          inject: [KAFKA, MessagingMetrics],
          useFactory: async (kafka: Kafka, metrics: MessagingMetrics) => {
            const prefix = options.topicPrefix ?? '';
            const owned = [...new Set(allEventVersions().filter((d) => EventCatalog[d.type].source === options.service).map((d) => prefix + d.topic))];
            await ensureTopics(kafka, owned);
            const log = new Logger('Producer');
            const producer = new ReplaceableProducer({
              create: () =>
                kafka.producer({
                  idempotent: true,
                  maxInFlightRequests: 1,
                  allowAutoTopicCreation: false,
                  createPartitioner: Partitioners.DefaultPartitioner,
                }),
              log: (level, message) => log[level](message),
              onReplaced: () => metrics.producerReplaced.inc(),
            });
            await producer.connect();
            return producer;
          },
        },
        {
          provide: Outbox,
          // Each row keeps the trace context of the request or event that wrote it.
          useFactory: () => new Outbox({ source: options.service, schema: options.database.schema, contextHeaders: currentTraceHeaders }),
        },
        { provide: UnitOfWork, inject: [Database, Outbox], useFactory: (db: Database, outbox: Outbox) => new UnitOfWork(db, outbox) },
        {
          provide: MessagingMetrics,
          inject: [{ token: METRICS_REGISTRY, optional: true }],
          useFactory: (registry?: Registry) => new MessagingMetrics(registry ?? new Registry()),
        },
        OutboxRelayService,
        PrunerService,
        {
          provide: KafkaEventTransport,
          inject: [KAFKA, KAFKA_PRODUCER, UnitOfWork, Database, MessagingMetrics],
          useFactory: (kafka: Kafka, producer: ReplaceableProducer, unitOfWork: UnitOfWork, db: Database, metrics: MessagingMetrics) =>
            new KafkaEventTransport(kafka, producer, unitOfWork, db, options, metrics),
        },
        { provide: KafkaHealth, inject: [KAFKA], useFactory: (kafka: Kafka) => new KafkaHealth(kafka) },
        ProducerCloser,
      ],
      exports: [KAFKA, KAFKA_PRODUCER, Outbox, UnitOfWork, OutboxRelayService, PrunerService, KafkaEventTransport, KafkaHealth, MessagingMetrics, MESSAGING_OPTIONS],
    };
  }
}

/** Disconnects the shared producer last, after the relay and the consumers stopped using it. */
@Injectable()
class ProducerCloser implements OnModuleDestroy {
  constructor(
    @Inject(KAFKA_PRODUCER) private readonly producer: ReplaceableProducer,
    @Optional() private readonly relay?: OutboxRelayService,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.relay?.relay.stop();
    await this.producer.disconnect();
  }
}
