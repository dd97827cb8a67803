import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { assertCurrentSchema, createPgAdapter, DatabaseOptions, describeConnectionError } from '@shop/platform/database';
import { PrismaClient } from './generated/prisma/client';

export const CATALOG_DATABASE_OPTIONS = Symbol('CATALOG_DATABASE_OPTIONS');

/** The catalog's Prisma client, bound to the `catalog` schema through the pg driver adapter. */
@Injectable()
export class CatalogPrismaService extends PrismaClient implements OnModuleInit, OnModuleDestroy {
  constructor(@Inject(CATALOG_DATABASE_OPTIONS) private readonly options: DatabaseOptions) {
    super({ adapter: createPgAdapter(options) });
  }

  async onModuleInit(): Promise<void> {
    try {
      await this.$connect();
      await this.ping();
    } catch (err) {
      throw new Error(describeConnectionError(err, this.options.url));
    }
    await assertCurrentSchema(this, this.options.schema);
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }

  /** Readiness: a round trip to the database. */
  async ping(): Promise<void> {
    await this.$queryRawUnsafe('select 1');
  }
}
