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
  }
  return PrismaService as unknown as new (options: DatabaseOptions) => C & OnModuleInit & OnModuleDestroy & { ping(): Promise<void> };
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
