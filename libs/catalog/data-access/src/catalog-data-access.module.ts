import type { DynamicModule } from '@nestjs/common';
import { ProductRepository, RatingRepository, ReservationRepository } from '@shop/catalog/domain';
import { databaseModule, DatabaseOptions } from '@shop/platform/database';
import { CatalogPrismaService } from './catalog-prisma.service';
import { CatalogQueries } from './catalog.queries';
import { MIGRATIONS } from './generated/migrations';
import { PgProductRepository, PgRatingRepository, PgReservationRepository } from './pg-catalog.repository';

export const CatalogDataAccessModule = {
  forRoot: (options: DatabaseOptions): DynamicModule =>
    databaseModule(CatalogPrismaService, { ...options, migrations: MIGRATIONS }, [
      { provide: ProductRepository, useClass: PgProductRepository },
      { provide: ReservationRepository, useClass: PgReservationRepository },
      { provide: RatingRepository, useClass: PgRatingRepository },
      CatalogQueries,
    ]),
};
