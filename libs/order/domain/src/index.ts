export * from './order.entity';
export * from './order.errors';
export * from './order.repository';
export * from './waiting-room';
