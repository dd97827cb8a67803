import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { dataServices, root } from './deploy-manifests';

const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

/** The instructions of one stage of the Dockerfile, continuation lines joined. */
function stage(name: string): string {
  const stages = dockerfile.replace(/\\\n/g, ' ').split(/^FROM /m);
  const found = stages.find((s) => new RegExp(`^\\S+ AS ${name}\\s*$`, 'm').test(s.split('\n')[0]));
  if (!found) throw new Error(`no stage ${name}`);
  return found;
}

describe('Dockerfile', () => {
  it('builds the monorepo as npm test does, in its own stage', () => {
    expect(stage('build')).toMatch(/RUN npm ci\n/);
    expect(stage('build')).toContain('RUN npm run generate && npm run build');
  });

  it('ships the app with production dependencies only, as a non-root user, health-checked on /health/ready', () => {
    expect(stage('prod-deps')).toContain('npm ci --omit=dev');
    const app = stage('app');
    expect(app).toContain('COPY --from=prod-deps /app/node_modules ./node_modules');
    expect(app).toContain('COPY --from=build /app/dist/apps/${APP} ./dist/apps/${APP}');
    expect(app).not.toMatch(/--from=build \/app\/node_modules/);
    expect(app).toMatch(/NODE_ENV=production/);
    expect(app).toMatch(/^USER 1000:1000$/m);
    expect(app).toMatch(/^HEALTHCHECK .*CMD \["node", "deploy\/docker\/healthcheck.js"\]$/m);
    expect(dockerfile.trimEnd().split('\n').filter((l) => l.startsWith('FROM ')).pop()).toMatch(/ AS app$/);
  });

  it('has a migrate stage that keeps the Prisma CLI and runs prisma migrate deploy for one service', () => {
    const migrate = stage('migrate');
    expect(migrate).toContain('COPY --from=build /app/node_modules ./node_modules');
    expect(migrate).toContain('COPY --from=build /app/libs/${APP}/data-access/prisma ./libs/${APP}/data-access/prisma');
    expect(migrate).toMatch(/^USER 1000:1000$/m);
    expect(migrate).toContain('"migrate", "deploy", "--config", "deploy/prisma/prisma.config.ts"');
  });

  it('leaves dependencies, builds, local state and secrets out of the build context', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['.git', '**/node_modules', 'dist', '.local', 'bench/results', '.env', 'deploy/env/secrets.env']) expect(ignored).toContain(entry);
  });
});

describe('the image health check (deploy/docker/healthcheck.js)', () => {
  let server: Server;
  let status = 200;
  let port: number;
  const paths: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.statusCode = status;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const check = (p: number) =>
    new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [join(root, 'deploy', 'docker', 'healthcheck.js')], { env: { PORT: String(p) }, stdio: 'ignore' });
      child.on('exit', (code) => resolve(code));
    });

  it('passes when /health/ready answers 200 on PORT', async () => {
    status = 200;
    expect(await check(port)).toBe(0);
    expect(paths.pop()).toBe('/health/ready');
  });

  it('fails when the app is not ready', async () => {
    status = 503;
    expect(await check(port)).toBe(1);
  });

  it('fails when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const free = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await check(free)).toBe(1);
  });
});

describe('the migrate image Prisma config (deploy/prisma/prisma.config.ts)', () => {
  /** `prisma validate` loads the config as the migrate image does (both runs at once: the CLI is slow to start). */
  const prisma = (env: Record<string, string>) =>
    new Promise<{ status: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, [join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'validate', '--config', 'deploy/prisma/prisma.config.ts'], {
        cwd: root,
        // validate needs no schema engine; any file satisfies the CLI's check for one (as tools/prisma-generate.js does).
        env: { PATH: process.env.PATH ?? '', PRISMA_SCHEMA_ENGINE_BINARY: __filename, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1', ...env },
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('exit', (status) => resolve({ status, output }));
    });

  it('finds the schema and migrations of the service named by APP, and refuses a missing URL', async () => {
    const [catalog, missing] = await Promise.all([
      prisma({ APP: 'catalog', DATABASE_URL: 'postgresql://svc_catalog:pw@postgres:5432/shop', DATABASE_SCHEMA: 'catalog' }),
      prisma({ APP: 'catalog', DATABASE_SCHEMA: 'catalog' }),
    ]);
    expect(catalog.output).toContain('libs/catalog/data-access/prisma/schema.prisma is valid');
    expect(catalog.status).toBe(0);
    expect(missing.status).not.toBe(0);
    expect(missing.output).toContain('migrate: DATABASE_URL is not set');
  });

  it('has a schema and migrations where the config looks for every data-owning service', () => {
    for (const { service } of dataServices()) {
      const dir = join(root, 'libs', service, 'data-access', 'prisma');
      expect([service, existsSync(join(dir, 'schema.prisma')), existsSync(join(dir, 'migrations', 'migration_lock.toml'))]).toEqual([service, true, true]);
    }
  });
});
