export * from './bootstrap';
export * from './health/health.module';
export * from './health/health-check';
export * from './metrics/metrics.module';
export * from './problem/problem-details.filter';
export * from './logging/pino-logger';
export * from './public.decorator';
export * from './validation/zod-validation.pipe';
