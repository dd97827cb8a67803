export * from './delivery-prisma.service';
export * from './delivery-data-access.module';
export * from './delivery.queries';
export { PrismaClient as DeliveryPrismaClient } from './generated/prisma/client';
export * from './pg-delivery.repository';
