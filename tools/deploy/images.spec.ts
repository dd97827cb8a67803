import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDockerfile, inEngines } from './deploy-consistency';
import { MAKE_SECRETS, root, secretsMade } from './deploy-manifests';
import { NODE_ARGS } from '../apps';

const engines = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
const satisfiesEngines = (version: string) => inEngines(version, engines);

describe('Dockerfile', () => {
  it('runs the current Node LTS, production dependencies only, in one layer, as a non-root user, health-checked', () => {
    expect(checkDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'), satisfiesEngines)).toEqual([]);
  });

  it('names what the per-app Dockerfile of before got wrong', () => {
    const problems = checkDockerfile(readFileSync(join(__dirname, 'fixtures', 'Dockerfile.per-app'), 'utf8'), satisfiesEngines);
    expect(problems).toEqual([
      'Dockerfile: Node 20 is not an LTS line of 24 or later',
      'Dockerfile: npm ci runs install scripts',
      'Dockerfile: production dependencies keep the devOptional packages (add --omit=optional)',
      expect.stringMatching(/^Dockerfile: the image is not one COPY of the runtime stage \(COPY --from=prod-deps .+\)$/),
      'Dockerfile: the entrypoint is not deploy/docker/entrypoint.sh',
    ]);
  });

  it('supports the Node lines package.json names, and no other', () => {
    expect(engines).toBe('^20.19.0 || ^24.11.0');
    expect([inEngines('24.22.3', engines), inEngines('20.20.2', engines), inEngines('22.22.0', engines), inEngines('24.10.0', engines)]).toEqual([true, true, false, false]);
    expect(() => inEngines('24.0.0', '>=20')).toThrow('engines: ">=20" is not a caret range');
  });

  it('leaves dependencies, builds and local state out of the build context', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['.git', '**/node_modules', 'dist', '.local', '.nx', 'bench/results', '.env']) expect(ignored).toContain(entry);
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

/**
 * The entrypoint as the image runs it: from a folder laid out like /app, whose
 * "app" and "migrator" print the environment and arguments they were given.
 */
describe('the image entrypoint (deploy/docker/entrypoint.sh)', () => {
  const app = mkdtempSync(join(tmpdir(), 'shop-entrypoint-'));
  const probe = 'console.log(JSON.stringify({ argv: process.argv.slice(2), execArgv: process.execArgv, env: process.env }));\n';
  mkdirSync(join(app, 'dist', 'apps', 'catalog', 'src'), { recursive: true });
  writeFileSync(join(app, 'dist', 'apps', 'catalog', 'src', 'main.js'), probe);
  mkdirSync(join(app, 'dist', 'libs', 'platform', 'database', 'src'), { recursive: true });
  writeFileSync(join(app, 'dist', 'libs', 'platform', 'database', 'src', 'migrate.cli.js'), probe);
  mkdirSync(join(app, 'dist', 'apps', 'storefront', 'src', 'demo'), { recursive: true });
  writeFileSync(join(app, 'dist', 'apps', 'storefront', 'src', 'demo', 'demo-catalog.main.js'), probe);
  mkdirSync(join(app, 'libs', 'catalog', 'data-access', 'prisma', 'migrations'), { recursive: true });
  const secret = join(app, 'jwt');
  writeFileSync(secret, 'from-a-file-0123456789abcdef0123456789');

  const entrypoint = (args: string[], env: Record<string, string>) => {
    const r = spawnSync(join(root, 'deploy', 'docker', 'entrypoint.sh'), args, { cwd: app, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
    const out = r.status === 0 ? (JSON.parse(r.stdout) as { argv: string[]; execArgv: string[]; env: Record<string, string> }) : undefined;
    return { status: r.status, stderr: r.stderr.trim(), out };
  };

  it('serves an app with secrets read from <NAME>_FILE and the database password put into the URL', () => {
    const r = entrypoint(['serve', 'catalog'], { JWT_SECRET_FILE: secret, DATABASE_URL: 'postgresql://svc_catalog@postgres:5432/shop', DATABASE_PASSWORD: 'pw-1_x' });
    expect(r.stderr).toBe('');
    expect(r.out?.env).toMatchObject({ JWT_SECRET: 'from-a-file-0123456789abcdef0123456789', DATABASE_URL: 'postgresql://svc_catalog:pw-1_x@postgres:5432/shop' });
    expect(Object.keys(r.out?.env ?? {})).not.toEqual(expect.arrayContaining(['JWT_SECRET_FILE']));
    expect(Object.keys(r.out?.env ?? {})).not.toContain('DATABASE_PASSWORD');
  });

  it('runs an app with the node options npm start and the tests give it (tools/apps.ts)', () => {
    expect(entrypoint(['serve', 'catalog'], {}).out?.execArgv).toEqual(NODE_ARGS);
  });

  it('lets a value given in the environment win over the file, and a URL keep its own password', () => {
    const r = entrypoint(['serve', 'catalog'], { JWT_SECRET: 'given', JWT_SECRET_FILE: secret, DATABASE_URL: 'postgresql://u:own@h/db', DATABASE_PASSWORD: 'other' });
    expect(r.out?.env).toMatchObject({ JWT_SECRET: 'given', DATABASE_URL: 'postgresql://u:own@h/db' });
  });

  it("applies a service's migrations from its folder", () => {
    expect(entrypoint(['migrate', 'catalog'], {}).out?.argv).toEqual(['libs/catalog/data-access/prisma/migrations']);
  });

  it('loads the demo catalog through the gateway it is given', () => {
    expect(entrypoint(['demo-catalog', 'http://api-gateway:3000'], { SHOP_DEMO_CATALOG: '1' }).out).toMatchObject({
      argv: ['http://api-gateway:3000'],
      env: { SHOP_DEMO_CATALOG: '1' },
    });
  });

  it('refuses an unknown app, a missing secret file, a password a URL cannot hold, and no command', () => {
    expect(entrypoint(['serve', 'wishlist'], {})).toMatchObject({ status: 2, stderr: 'entrypoint: no app wishlist in this image' });
    expect(entrypoint(['serve', 'catalog'], { JWT_SECRET_FILE: '/nonexistent' })).toMatchObject({ status: 2, stderr: 'entrypoint: JWT_SECRET_FILE: cannot read /nonexistent' });
    expect(entrypoint(['serve', 'catalog'], { DATABASE_URL: 'postgresql://u@h/db', DATABASE_PASSWORD: 'a@b' }).status).toBe(2);
    expect(entrypoint([], {})).toMatchObject({ status: 2, stderr: 'entrypoint: usage: serve <app> | migrate <service> | demo-catalog <gateway-url>' });
  });
});

describe('the local secrets (deploy/secrets/make-secrets.sh)', () => {
  const make = (args: string[], env: Record<string, string> = {}) => spawnSync(MAKE_SECRETS, args, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  const read = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

  it('makes every secret once, at random, readable by the stack, and keeps it on the next run', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'shop-secrets-')), 'secrets');
    expect(make(['dir', dir]).status).toBe(0);
    const first = read(dir);
    expect(Object.keys(first).sort()).toEqual([...secretsMade()].sort());
    for (const value of Object.values(first)) expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(Object.values(first)).size).toBe(secretsMade().length);
    expect(statSync(join(dir, 'JWT_SECRET')).mode & 0o777).toBe(0o444);
    expect(make(['dir', dir]).status).toBe(0);
    expect(read(dir)).toEqual(first);
    const other = join(mkdtempSync(join(tmpdir(), 'shop-secrets-')), 'secrets');
    make(['dir', other]);
    expect(read(other).JWT_SECRET).not.toBe(first.JWT_SECRET);
  });

  it('stores a value given in the environment instead, and refuses one that cannot serve', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'shop-secrets-')), 'secrets');
    make(['dir', dir]);
    expect(make(['dir', dir], { SVC_ORDER_PASSWORD: 'brought-by-the-operator' }).status).toBe(0);
    expect(read(dir).SVC_ORDER_PASSWORD).toBe('brought-by-the-operator');
    const short = make(['dir', dir], { JWT_SECRET: 'short' });
    expect([short.status, short.stderr.trim()]).toEqual([1, 'make-secrets: JWT_SECRET must be at least 32 characters']);
    const url = make(['dir', dir], { POSTGRES_PASSWORD: 'p@ss word' });
    expect([url.status, url.stderr.trim()]).toEqual([1, "make-secrets: POSTGRES_PASSWORD may hold letters, digits, '-' and '_' only"]);
  });

  it('writes an env file for the kind overlay, readable by its owner only, stable across runs', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'shop-secrets-')), 'secrets.env');
    expect(make(['env-file', file]).status).toBe(0);
    const first = readFileSync(file, 'utf8');
    expect(first.trim().split('\n').map((l) => l.split('=')[0])).toEqual(secretsMade());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    make(['env-file', file]);
    expect(readFileSync(file, 'utf8')).toBe(first);
  });
});
