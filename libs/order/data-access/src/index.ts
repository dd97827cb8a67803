export * from './order-prisma.service';
export * from './order-data-access.module';
export * from './order.repository';
export { PrismaClient as OrderPrismaClient, Prisma as OrderPrisma } from './generated/prisma/client';
import type { Prisma } from './generated/prisma/client';
/** The client inside `$transaction(async (tx) => ...)`. */
export type OrderTx = Prisma.TransactionClient;
