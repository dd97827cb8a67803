import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseOptions } from '@shop/platform/database';
import { CATALOG_DATABASE_OPTIONS, CatalogPrismaService } from './catalog-prisma.service';

@Module({})
export class CatalogDataAccessModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: CatalogDataAccessModule,
      global: true,
      providers: [{ provide: CATALOG_DATABASE_OPTIONS, useValue: options }, CatalogPrismaService],
      exports: [CatalogPrismaService],
    };
  }
}
