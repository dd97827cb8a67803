export * from './catalog-prisma.service';
export * from './catalog-data-access.module';
export * from './catalog.queries';
export * from './catalog.read-models';
export { PrismaClient as CatalogPrismaClient, Prisma as CatalogPrisma, ReservationStatus } from './generated/prisma/client';
export type { Product as ProductRecord, StockReservation as StockReservationRecord } from './generated/prisma/client';
export * from './pg-catalog.repository';
export * from './product-search';
export * from './product-rows';
