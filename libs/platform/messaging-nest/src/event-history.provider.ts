import type { Provider } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { EventHistory, KafkaEventHistory } from '@shop/platform/messaging';
import type { EventType } from '@shop/shared/contracts';
import { KAFKA, MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.tokens';

/** The service's EventHistory: every `type` event its topic holds, on the service's broker and topic prefix. */
export function eventHistory(type: EventType): Provider {
  return {
    provide: EventHistory,
    inject: [KAFKA, MESSAGING_OPTIONS],
    useFactory: (kafka: Kafka, options: MessagingModuleOptions) => new KafkaEventHistory(kafka, type, options.topicPrefix ?? ''),
  };
}
