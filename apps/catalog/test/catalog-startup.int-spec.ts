import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import { createTestDatabase, TEST_JWT_SECRET, TestDatabase, workspaceRoot } from '@shop/testing';

/**
 * Bad configuration ends the compiled service with one clear line on stderr
 * and exit code 1, never a stack trace.
 */
const main = join(workspaceRoot(), 'dist', 'apps', 'catalog', 'src', 'main.js');

function run(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('catalog start-up with bad configuration', () => {
  let db: TestDatabase;
  let base: Record<string, string>;

  beforeAll(async () => {
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build (npm test does)`);
    db = await createTestDatabase();
    await db.migrate('catalog');
    base = { DATABASE_URL: db.urlFor('catalog'), KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' };
  });

  afterAll(() => db?.drop());

  it('names an unset variable', async () => {
    const { code, stderr } = await run({ KAFKA_BROKERS: '127.0.0.1:9092' });
    expect(code).toBe(1);
    expect(stderr).toBe('catalog: invalid configuration: DATABASE_URL is not set\n');
  });

  it('names a malformed value', async () => {
    const { code, stderr } = await run({ ...base, PORT: 'eighty' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^catalog: invalid configuration: PORT="eighty": .+\n$/);
  });

  it('says when Postgres cannot be reached', async () => {
    const { code, stderr } = await run({ ...base, DATABASE_URL: 'postgresql://svc_catalog@127.0.0.1:1/shop', PORT: '0' });
    expect(code).toBe(1);
    expect(stderr).toBe('catalog: cannot reach Postgres at 127.0.0.1:1/shop as svc_catalog: connection refused or timed out\n');
  });

  it('says when the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '0.0.0.0', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, stderr } = await run({ ...base, PORT: String(port) });
      expect(code).toBe(1);
      expect(stderr).toBe(`catalog: port ${port} is already in use (set PORT)\n`);
    } finally {
      blocker.close();
    }
  });
});
