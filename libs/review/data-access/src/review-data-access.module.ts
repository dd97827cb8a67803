import type { DynamicModule } from '@nestjs/common';
import { databaseModule, DatabaseOptions } from '@shop/platform/database';
import { ReviewPrismaService } from './review-prisma.service';

export const ReviewDataAccessModule = {
  forRoot: (options: DatabaseOptions): DynamicModule => databaseModule(ReviewPrismaService, options),
};
