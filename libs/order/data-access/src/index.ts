export * from './order-prisma.service';
export * from './order-data-access.module';
export * from './order.queries';
export * from './pg-order.repository';
export { PrismaClient as OrderPrismaClient } from './generated/prisma/client';
export * from './pg-waiting-room.repository';
