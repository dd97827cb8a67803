export * from './order.entity';
export * from './order.errors';
