export * from './postgres';
export * from './kafka';
export * from './workspace';
export * from './auth';
export * from './events';
export * from './platform';
export * from './schema-contract';
export * from './stats';
