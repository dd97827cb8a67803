import { join } from 'node:path';
import { migrate } from '@shop/platform/database';
import type { ServiceName } from '@shop/shared/contracts';
import { infra, uniqueSuffix, workspaceRoot } from './workspace';

interface PostgresInfra {
  SERVICES: Array<{ service: string; schema: string; role: string }>;
  provisionDatabase(adminUrl: string, dbName: string): Promise<void>;
  dropDatabase(adminUrl: string, dbName: string): Promise<void>;
  serviceDatabaseUrl(adminUrl: string, dbName: string, role: string): string;
}

export type { ServiceName };

/** A database of its own for one test suite, laid out like the platform's. */
export interface TestDatabase {
  adminUrl: string;
  dbName: string;
  /** The URL the service's own role uses (rights on its schema only). */
  urlFor(service: ServiceName): string;
  schemaOf(service: ServiceName): string;
  /** Applies the service's SQL migrations, as its own role. */
  migrate(service: ServiceName): Promise<void>;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.DATABASE_ADMIN_URL;
  if (!url) throw new Error('testing: DATABASE_ADMIN_URL is not set; run the suite through jest (its globalSetup provisions Postgres)');
  return url;
}

/**
 * Creates `shop_t_<random>` with every service schema and grant, so suites
 * run in parallel and reruns start clean. Drop it in afterAll.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const pg = infra<PostgresInfra>('postgres');
  const admin = adminUrl();
  const dbName = `shop_t_${uniqueSuffix()}`;
  await pg.provisionDatabase(admin, dbName);
  const entry = (service: ServiceName) => {
    const found = pg.SERVICES.find((s) => s.service === service);
    if (!found) throw new Error(`testing: unknown service ${service}`);
    return found;
  };
  return {
    adminUrl: admin,
    dbName,
    urlFor: (service) => pg.serviceDatabaseUrl(admin, dbName, entry(service).role),
    schemaOf: (service) => entry(service).schema,
    migrate: async (service) => {
      await migrate({
        url: pg.serviceDatabaseUrl(admin, dbName, entry(service).role),
        schema: entry(service).schema,
        migrationsDir: join(workspaceRoot(), 'libs', service, 'data-access', 'prisma', 'migrations'),
      });
    },
    drop: () => pg.dropDatabase(admin, dbName),
  };
}
