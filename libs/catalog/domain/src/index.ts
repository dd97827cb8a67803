export * from './product.entity';
export * from './catalog.errors';
