import type { DynamicModule } from '@nestjs/common';
import { databaseModule, DatabaseOptions } from '@shop/platform/database';
import { MIGRATIONS } from './generated/migrations';
import { CatalogPrismaService } from './catalog-prisma.service';

export const CatalogDataAccessModule = {
  forRoot: (options: DatabaseOptions): DynamicModule => databaseModule(CatalogPrismaService, { ...options, migrations: MIGRATIONS }),
};
