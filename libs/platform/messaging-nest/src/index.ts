export * from './messaging.module';
export * from './kafka-event.transport';
