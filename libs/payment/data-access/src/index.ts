export * from './payment-prisma.service';
export * from './payment-data-access.module';
export { PrismaClient as PaymentPrismaClient, Prisma as PaymentPrisma, PaymentStatus } from './generated/prisma/client';
export type { Payment as PaymentRecord } from './generated/prisma/client';
import type { Prisma } from './generated/prisma/client';
/** The client inside `$transaction(async (tx) => ...)`. */
export type PaymentTx = Prisma.TransactionClient;
