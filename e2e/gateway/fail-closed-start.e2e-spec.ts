import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { AppProcess, TEST_JWT_SECRET } from '@shop/testing';

/** Starts a compiled app with only this environment; its exit code and what it wrote to stderr. */
function run(app: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [AppProcess.entry(app)], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code) => {
      clearTimeout(kill);
      resolve({ code, stderr });
    });
  });
}

/** The placeholders published in the manifests and examples, and the local stack's former default. */
const PLACEHOLDERS = ['REPLACE_ME_at_least_16_characters', 'replace-me-with-a-long-random-string', 'local-dev-secret-change-me-0123456789'];

/**
 * An app handed a secret anyone knows, or one too short for HS256, must not
 * start: it would accept tokens that anyone can mint. One line says why, and
 * it never repeats the secret.
 */
describe('start-up with a token secret anyone knows', () => {
  const service = { DATABASE_URL: 'postgresql://svc_catalog@127.0.0.1:5432/shop', KAFKA_BROKERS: '127.0.0.1:9092', PORT: '0', LOG_LEVEL: 'silent' };
  const gateway = { PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'silent' };

  beforeAll(() => {
    for (const app of ['catalog', 'api-gateway']) if (!existsSync(AppProcess.entry(app))) throw new Error(`${AppProcess.entry(app)} is missing: run npm run build (npm test does)`);
  });

  it.each(PLACEHOLDERS)('a service and the gateway refuse the placeholder %s with one line', async (secret) => {
    for (const [app, env] of [
      ['catalog', service],
      ['api-gateway', gateway],
    ] as const) {
      const { code, stderr } = await run(app, { ...env, JWT_SECRET: secret });
      expect({ app, code }).toEqual({ app, code: 1 });
      expect(stderr).toMatch(new RegExp(`^${app}: invalid configuration: JWT_SECRET: is a published placeholder[^\\n]*\\n$`));
      expect(stderr).not.toContain(secret);
    }
  });

  it('a service and the gateway refuse a secret shorter than 32 bytes with one line', async () => {
    for (const [app, env] of [
      ['catalog', service],
      ['api-gateway', gateway],
    ] as const) {
      const { code, stderr } = await run(app, { ...env, JWT_SECRET: 'sixteen-chars-ok' });
      expect({ app, code, stderr }).toEqual({
        app,
        code: 1,
        stderr: `${app}: invalid configuration: JWT_SECRET: must be at least 32 bytes (generate one: openssl rand -base64 48)\n`,
      });
    }
  });

  it('the gateway starts with the test secret, which is neither short nor published', async () => {
    const started = await AppProcess.start('api-gateway', { env: { METRICS_PORT: '0', JWT_SECRET: TEST_JWT_SECRET } });
    await started.stop();
  });
});
