export * from './messaging.module';
export * from './kafka-event.transport';
export * from './event-history.provider';
