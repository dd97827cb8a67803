export * from './payment-prisma.service';
export * from './payment-data-access.module';
export { PrismaClient as PaymentPrismaClient, Prisma as PaymentPrisma, PaymentStatus } from './generated/prisma/client';
export * from './payment.queries';
export * from './pg-payment.repository';
