/**
 * The platform's processes as `npm start` and the end-to-end tests run them:
 * name, port, and the environment each one needs. Add a service here.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SERVICES } from './infra/postgres';
import { root } from './lib/workspace';

/** One process of the platform. */
export interface App {
  name: string;
  port: number;
  /** Where it serves /metrics when that is a listener of its own. */
  metricsPort?: number;
  /** The schema and login role of a service that owns data. */
  database?: { role: string; schema: string };
  env?: Record<string, string>;
  /** false for a service the gateway does not route to yet. */
  gateway?: boolean;
}

/** Where npm start found or started Postgres and Kafka. */
export interface Infra {
  adminUrl: string;
  dbName: string;
  brokers: string;
}

/** The schema and login role a service owns: tools/infra/postgres.ts is the one list of them. */
function database(name: string): { role: string; schema: string } {
  const service = SERVICES.find((s) => s.service === name);
  if (!service) throw new Error(`tools/infra/postgres.ts SERVICES has no ${name}`);
  return { role: service.role, schema: service.schema };
}

/**
 * The local stack's token secret: $JWT_SECRET when set; otherwise one made at
 * random on the first start and kept in `.local/jwt-secret` (git-ignored), so
 * tokens stay valid across restarts and no one else knows it. Compose and
 * Kubernetes take theirs from their secrets.
 */
function localJwtSecret(rootDir = root, env: NodeJS.ProcessEnv = process.env): string {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  const file = path.join(rootDir, '.local', 'jwt-secret');
  const read = () => fs.readFileSync(file, 'utf8').trim();
  if (fs.existsSync(file) && read()) return read();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // 'wx': when two starts race, the first file written is the one both use.
    fs.writeFileSync(file, `${crypto.randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return read();
}

const APPS: App[] = [
  // Each service that imports a read model from an owner's export (without the broker) is told where the owner is.
  { name: 'catalog', port: 3001, database: database('catalog'), env: { REVIEW_URL: 'http://127.0.0.1:3005' } },
  { name: 'order', port: 3002, database: database('order'), env: { CATALOG_URL: 'http://127.0.0.1:3001' } },
  { name: 'payment', port: 3003, database: database('payment') },
  {
    name: 'delivery',
    port: 3004,
    database: database('delivery'),
    env: {
      DELIVERY_DISPATCH_DELAY_MS: process.env.DELIVERY_DISPATCH_DELAY_MS ?? '3000',
      DELIVERY_COMPLETE_DELAY_MS: process.env.DELIVERY_COMPLETE_DELAY_MS ?? '5000',
    },
  },
  { name: 'review', port: 3005, database: database('review') },
];

// The gateway last: the single entry point, in front of the services above (the demo token issuer is on locally),
// but those marked `gateway: false` (a new service, until its routes are in the gateway's contract).
const upstreams = APPS.filter((a) => a.gateway !== false);
APPS.push({
  name: 'api-gateway',
  port: 3000,
  // Its /metrics has a listener of its own, on loopback (the gateway's METRICS_PORT default).
  metricsPort: 9464,
  env: {
    AUTH_DEMO_ISSUER: 'true',
    ...Object.fromEntries(upstreams.map((a) => [`${a.name.toUpperCase()}_URL`, `http://127.0.0.1:${a.port}`])),
  },
});

// The storefront: the built web app, with /api proxied to the gateway so the browser sees one origin.
const gateway = APPS[APPS.length - 1];
APPS.push({ name: 'storefront', port: 4200, metricsPort: 9465, env: { GATEWAY_URL: `http://127.0.0.1:${gateway.port}` } });

/** An app's environment on the given Postgres and Kafka (serviceDatabaseUrl: tools/infra/postgres.ts's). */
function appEnv(app: App, infra: Infra, serviceDatabaseUrl: (adminUrl: string, dbName: string, role: string) => string): Record<string, string> {
  const env: Record<string, string> = {
    PORT: String(app.port),
    KAFKA_BROKERS: infra.brokers,
    JWT_SECRET: localJwtSecret(),
    LOG_LEVEL: process.env.LOG_LEVEL || 'info',
    ...(app.env ?? {}),
  };
  if (app.database) {
    env.DATABASE_URL = serviceDatabaseUrl(infra.adminUrl, infra.dbName, app.database.role);
    env.DATABASE_SCHEMA = app.database.schema;
  }
  return env;
}

/**
 * The node options every app runs with, here, in the tests and in the image (deploy/docker/entrypoint.sh
 * spells them out; tools/deploy/images.spec.ts holds it to this list). A young generation of at most 8 MB
 * per semi-space instead of V8's 16: a service under the bench's load held 20-65 MB less, at no CPU cost
 * measurable per order (bench/PROFILE.md, "Resident memory under load").
 */
const NODE_ARGS = ['--enable-source-maps', '--max-semi-space-size=8'];

function appEntry(root: string, app: Pick<App, 'name'>): string {
  return path.join(root, 'dist', 'apps', app.name, 'src', 'main.js');
}

function migrationsDir(root: string, app: Pick<App, 'name'>): string {
  return path.join(root, 'libs', app.name, 'data-access', 'prisma', 'migrations');
}

export { APPS, NODE_ARGS, appEnv, appEntry, migrationsDir, localJwtSecret };
