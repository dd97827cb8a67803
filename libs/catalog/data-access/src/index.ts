export * from './catalog-prisma.service';
export * from './catalog-data-access.module';
export { PrismaClient as CatalogPrismaClient } from './generated/prisma/client';
export type { Prisma as CatalogPrisma, Product as ProductRecord } from './generated/prisma/client';
