import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  OnModuleDestroy,
  OnModuleInit,
  Provider,
  Type,
} from '@nestjs/common';
import { Database } from './database';
import { assertCurrentSchema, createPgAdapter, createPool, DatabaseOptions, describeConnectionError } from './pg-adapter';

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

interface PrismaLike {
  $disconnect(): Promise<void>;
}

type PrismaClass<C extends PrismaLike> = new (options: { adapter: ReturnType<typeof createPgAdapter> }) => C;

/**
 * The service's database for Nest: one pool, checked at start (reachable, the
 * role lands in the service's schema), ended last at shutdown, after every
 * module that uses it (relay, consumers, courier) has stopped.
 */
@Injectable()
export class ServiceDatabase extends Database implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(DATABASE_OPTIONS) readonly options: DatabaseOptions) {
    super(createPool(options), options);
  }

  async onModuleInit(): Promise<void> {
    try {
      await this.ping();
    } catch (err) {
      throw new Error(describeConnectionError(err, this.options.url));
    }
    await assertCurrentSchema(this, this.options.schema);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

/**
 * Turns a service's generated PrismaClient into its NestJS provider, on the
 * service's pool: Prisma serves the cold paths (lists, admin, rebuilds), the
 * hot paths send their own SQL on the same connections.
 */
export function PrismaServiceFor<C extends PrismaLike>(Client: PrismaClass<C>) {
  @Injectable()
  class PrismaService extends (Client as PrismaClass<PrismaLike>) implements OnModuleDestroy {
    constructor(database: ServiceDatabase) {
      super({ adapter: createPgAdapter(database.options, database.pool) });
    }

    async onModuleDestroy(): Promise<void> {
      await this.$disconnect();
    }
  }
  return PrismaService as unknown as new (database: ServiceDatabase) => C & OnModuleDestroy;
}

/**
 * The global module of a service's data access: its database, its
 * PrismaService, and its repositories (each bound to the port it implements).
 */
export function databaseModule(service: Type<unknown>, options: DatabaseOptions, repositories: Provider[] = []): DynamicModule {
  @Module({})
  class DatabaseModule {}
  const tokens = repositories.map((r) => ('provide' in r ? r.provide : r));
  return {
    module: DatabaseModule,
    global: true,
    providers: [{ provide: DATABASE_OPTIONS, useValue: options }, ServiceDatabase, { provide: Database, useExisting: ServiceDatabase }, service, ...repositories],
    exports: [service, ServiceDatabase, Database, ...tokens],
  };
}
