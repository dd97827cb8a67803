export * from './review-prisma.service';
export * from './review-data-access.module';
export { PrismaClient as ReviewPrismaClient, Prisma as ReviewPrisma } from './generated/prisma/client';
export type { Review as ReviewRecord, ReviewGrant as ReviewGrantRecord } from './generated/prisma/client';
export * from './pg-review.repository';
