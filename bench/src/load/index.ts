export * from './latency-stats';
export * from './load-options';
export * from './load-report';
export * from './load-runner';
export * from './rate-scheduler';
export * from './shop-client';
