export * from './delivery.entity';
export * from './delivery.errors';
export * from './delivery.repository';
