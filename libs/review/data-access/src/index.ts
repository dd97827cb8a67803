export * from './review-prisma.service';
export * from './review-data-access.module';
export { PrismaClient as ReviewPrismaClient, Prisma as ReviewPrisma } from './generated/prisma/client';
export * from './review.queries';
export * from './pg-review.repository';
