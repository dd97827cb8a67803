import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const NAME = 'loyalty';

/** A command in the throwaway copy; its output is kept for the failure message. */
function run(dir: string, cmd: string, args: string[], env: Record<string, string> = {}): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

const expectOk = (r: { status: number | null; out: string }, what: string) => expect({ what, status: r.status, tail: r.status === 0 ? '' : r.out.slice(-3000) }).toEqual({ what, status: 0, tail: '' });

/**
 * `npm run new-service -- <name>` in a throwaway copy of this checkout (its
 * tracked files, the same node_modules): the service it makes builds, passes
 * its own tests (unit, its schema against the platform's messaging tables, the
 * app against real Postgres and Kafka), types check, the deployment checks
 * hold it to compose and Kubernetes like every app, and it joins npm start:
 * listed there on the next port, its compiled app migrated and ready. The copy
 * goes at the end.
 */
describe('npm run new-service (in a throwaway copy of the workspace)', () => {
  let copy: string;

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'new-service-'));
    const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
    for (const file of files) {
      if (!existsSync(join(root, file))) continue;
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      copyFileSync(join(root, file), join(copy, file));
    }
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
    // The lock as old as the one installed from: tools/run.sh installs again (npm ci) when the lock is newer.
    const lock = statSync(join(root, 'package-lock.json'));
    utimesSync(join(copy, 'package-lock.json'), lock.atime, lock.mtime);
  });

  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('makes the service and refuses a name it cannot use or one taken', () => {
    expect(run(copy, 'sh', ['tools/run.sh', 'new-service', 'Loyalty'])).toMatchObject({ status: 1, out: expect.stringContaining('3 to 20 lower-case letters and digits') });
    expect(run(copy, 'sh', ['tools/run.sh', 'new-service', 'review'])).toMatchObject({ status: 1, out: expect.stringContaining('apps/review exists already') });
    const made = run(copy, 'sh', ['tools/run.sh', 'new-service', NAME]);
    expectOk(made, 'new-service');
    expect(made.out).toContain(`new-service: ${NAME} on port 3006, schema ${NAME}s, role svc_${NAME}`);
  });

  it('builds its own output, with its own production packages', () => {
    expectOk(run(copy, 'node', ['node_modules/nx/dist/bin/nx.js', 'build', NAME, '--outputStyle=static']), `nx build ${NAME}`);
    const pkg = require(join(copy, 'dist', 'deploy', NAME, 'package.json')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['@nestjs/core', '@prisma/client', 'kafkajs', 'pg']));
    expect(existsSync(join(copy, 'dist', 'deploy', NAME, 'libs', NAME, 'data-access', 'prisma', 'migrations'))).toBe(true);
  }, 300_000);

  it('passes its unit tests and type checks', () => {
    expectOk(run(copy, 'node', ['node_modules/nx/dist/bin/nx.js', 'test', `${NAME}-domain`, '--outputStyle=static']), `nx test ${NAME}-domain`);
    writeFileSync(join(copy, 'tsconfig.new-service.json'), JSON.stringify({ extends: './tsconfig.json', include: [`apps/${NAME}/**/*.ts`, `libs/${NAME}/**/*.ts`] }));
    expectOk(run(copy, 'node', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.new-service.json', '--noEmit']), 'tsc');
  }, 300_000);

  it('passes its integration tests against real Postgres and Kafka (the ones this run uses)', () => {
    // The servers this run's global setup provisioned, found again by the copy's (never started twice).
    const env = { SHOP_TEST_INFRA: 'local', DATABASE_ADMIN_URL: process.env.DATABASE_ADMIN_URL ?? '', KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '' };
    const r = run(copy, 'node', ['node_modules/jest/bin/jest.js', '--selectProjects', 'integration', '--', `/apps/${NAME}/`, `/libs/${NAME}/`], env);
    expectOk(r, 'integration tests');
    expect(r.out).toMatch(/Tests: +\d+ passed, \d+ total/);
  }, 300_000);

  it('is deployed in compose and Kubernetes like every app, by the deployment checks', () => {
    const r = run(copy, 'node', ['node_modules/jest/bin/jest.js', '--selectProjects', 'unit', '--', '/tools/deploy/consistency', '/tools/deploy/kustomize', '/tools/deploy/compose', '/tools/messaging-tables']);
    expectOk(r, 'deployment checks');
  }, 300_000);

  it('joins npm start: listed on the next port, its compiled app migrated and ready', () => {
    const script = `
      const { createTestDatabase } = require('./dist/libs/testing/src/postgres');
      const { AppProcess } = require('./dist/libs/testing/src/app-process');
      const { APPS } = require('./dist/tools/apps');
      (async () => {
        const app = APPS.find((a) => a.name === '${NAME}');
        const db = await createTestDatabase();
        try {
          await db.migrate('${NAME}');
          const p = await AppProcess.start('${NAME}', { env: { DATABASE_URL: db.urlFor('${NAME}'), DATABASE_SCHEMA: app.database.schema, KAFKA_BROKERS: process.env.KAFKA_BROKERS, JWT_SECRET: 'new-service-test-0123456789abcdef0123' } });
          // Its whole status, as npm start waits for it: Postgres, migrations, the broker and its consumers.
          const status = (await fetch(p.url + '/health/status')).status;
          await p.stop();
          console.log(JSON.stringify({ port: app.port, role: app.database.role, status }));
        } finally {
          await db.drop();
        }
      })().catch((err) => { console.error(err); process.exit(1); });`;
    const r = run(copy, 'node', ['-e', script], { DATABASE_ADMIN_URL: process.env.DATABASE_ADMIN_URL ?? '', KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '' });
    expectOk(r, 'npm start');
    expect(JSON.parse(r.out.trim().split('\n').pop() as string)).toEqual({ port: 3006, role: `svc_${NAME}`, status: 200 });
  }, 300_000);
});
