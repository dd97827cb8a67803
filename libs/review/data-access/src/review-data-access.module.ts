import type { DynamicModule } from '@nestjs/common';
import { databaseModule, DatabaseOptions } from '@shop/platform/database';
import { MIGRATIONS } from './generated/migrations';
import { ReviewPrismaService } from './review-prisma.service';

export const ReviewDataAccessModule = {
  forRoot: (options: DatabaseOptions): DynamicModule => databaseModule(ReviewPrismaService, { ...options, migrations: MIGRATIONS }),
};
