export * from './product.entity';
export * from './stock-reservation.entity';
export * from './catalog.errors';
export * from './catalog.repository';
export * from './product-picture';
