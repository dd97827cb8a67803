export * from './payment.entity';
export * from './payment.errors';
export * from './payment.repository';
export * from './payment-provider.port';
export * from './simulated-payment.provider';
export * from './provider-deadline';
