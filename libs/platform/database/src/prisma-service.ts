import { DynamicModule, Inject, Injectable, Module, OnModuleDestroy, OnModuleInit, Type } from '@nestjs/common';
import { assertCurrentSchema, createPgAdapter, DatabaseOptions, describeConnectionError } from './pg-adapter';

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

interface PrismaLike {
  $connect(): Promise<void>;
  $disconnect(): Promise<void>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

type PrismaClass<C extends PrismaLike> = new (options: { adapter: ReturnType<typeof createPgAdapter> }) => C;

/**
 * Turns a service's generated PrismaClient into its NestJS provider: built on
 * the pg driver adapter bound to the service's schema, connected and checked
 * (`current_schema()`) at start, disconnected at shutdown.
 */
export function PrismaServiceFor<C extends PrismaLike>(Client: PrismaClass<C>) {
  @Injectable()
  class PrismaService extends (Client as PrismaClass<PrismaLike>) implements OnModuleInit, OnModuleDestroy {
    constructor(@Inject(DATABASE_OPTIONS) readonly databaseOptions: DatabaseOptions) {
      super({ adapter: createPgAdapter(databaseOptions) });
    }

    async onModuleInit(): Promise<void> {
      try {
        await this.$connect();
        await this.ping();
      } catch (err) {
        throw new Error(describeConnectionError(err, this.databaseOptions.url));
      }
      await assertCurrentSchema(this, this.databaseOptions.schema);
    }

    async onModuleDestroy(): Promise<void> {
      await this.$disconnect();
    }

    /** Readiness: a round trip to the database. */
    async ping(): Promise<void> {
      await this.$queryRawUnsafe('select 1');
    }

    /** Readiness: every migration this build knows is applied, so the tables it uses exist. */
    async checkMigrations(): Promise<void> {
      const expected = this.databaseOptions.migrations ?? [];
      if (expected.length === 0) return;
      const exists = await this.$queryRawUnsafe<Array<{ t: string | null }>>(`select to_regclass('_prisma_migrations')::text as t`);
      const applied = exists[0]?.t
        ? await this.$queryRawUnsafe<Array<{ migration_name: string }>>(
            'select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null',
          )
        : [];
      const done = new Set(applied.map((r) => r.migration_name));
      const missing = expected.filter((name) => !done.has(name));
      if (missing.length) throw new Error(`${missing.length} migration(s) not applied to ${this.databaseOptions.schema}: ${missing.join(', ')}`);
    }
  }
  return PrismaService as unknown as new (
    options: DatabaseOptions,
  ) => C & OnModuleInit & OnModuleDestroy & { ping(): Promise<void>; checkMigrations(): Promise<void> };
}

/** The global module that provides a service's PrismaService. */
export function databaseModule(service: Type<unknown>, options: DatabaseOptions): DynamicModule {
  @Module({})
  class DatabaseModule {}
  return {
    module: DatabaseModule,
    global: true,
    providers: [{ provide: DATABASE_OPTIONS, useValue: options }, service],
    exports: [service],
  };
}
