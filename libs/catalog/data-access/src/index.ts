export * from './catalog-prisma.service';
export * from './catalog-data-access.module';
export { PrismaClient as CatalogPrismaClient, Prisma as CatalogPrisma, ReservationStatus } from './generated/prisma/client';
export type { Product as ProductRecord, StockReservation as StockReservationRecord } from './generated/prisma/client';
import type { Prisma } from './generated/prisma/client';
/** The client inside `$transaction(async (tx) => ...)`. */
export type CatalogTx = Prisma.TransactionClient;
