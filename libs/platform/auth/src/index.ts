export * from './jwt';
export * from './auth.module';
