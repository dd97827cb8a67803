export * from './upstream-errors';
export * from './upstream-client';
export * from './upstream-registry';
export * from './stale-cache';
export * from './breaker-metrics';
export * from './nest/resilience.module';
export * from './latency-window';
export * from './rate-limiter';
