export * from './delivery.entity';
export * from './delivery.errors';
