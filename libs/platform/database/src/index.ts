export * from './pg-adapter';
export * from './sql-migrator';
export * from './prisma-service';
export * from './keyset';
export * from './statement-counter';
export * from './database';
export * from './shared-locks';
export * from './unit-of-work';
