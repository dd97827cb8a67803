export * from './delivery-prisma.service';
export * from './delivery-data-access.module';
export { PrismaClient as DeliveryPrismaClient, Prisma as DeliveryPrisma, DeliveryStatus } from './generated/prisma/client';
export type { Delivery as DeliveryRecord } from './generated/prisma/client';
export * from './pg-delivery.repository';
