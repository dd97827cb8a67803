import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  COMPOSE_FILE,
  composeConfig,
  dummyEnvFile,
  envFileNames,
  requiredComposeVariables,
  SECRETS_EXAMPLE,
} from './deploy-manifests';

const fixture = (name: string) => join(__dirname, 'fixtures', name);

/** docker-compose 1.29 (Debian's); the file also avoids every key Compose v2 alone knows. */
describe('docker-compose.yml', () => {
  it('is accepted by docker-compose config with the secrets provided', () => {
    const r = composeConfig(COMPOSE_FILE, dummyEnvFile(), true);
    expect(r.stderr.trim()).toBe('');
    expect(r.status).toBe(0);
  });

  it('refuses to start without the secrets env file, saying how to make it', () => {
    const r = composeConfig(COMPOSE_FILE, undefined, true);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('copy deploy/env/secrets.env.example to deploy/env/secrets.env');
  });

  it('names a missing secret on its own', () => {
    const names = requiredComposeVariables().filter((n) => n !== 'JWT_SECRET');
    const r = composeConfig(COMPOSE_FILE, dummyEnvFile(names), true);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('set JWT_SECRET in deploy/env/secrets.env');
  });

  it('asks for exactly the secrets the example env file lists', () => {
    expect(requiredComposeVariables()).toEqual(envFileNames(SECRETS_EXAMPLE));
    expect(requiredComposeVariables()).toEqual(expect.arrayContaining(['JWT_SECRET', 'POSTGRES_PASSWORD']));
  });

  it('uses no key that only Compose v2 knows', () => {
    const text = readFileSync(COMPOSE_FILE, 'utf8');
    for (const v2Only of ['start_interval:', 'develop:', 'include:', 'configs:', 'secrets:', 'deploy:']) expect(text).not.toContain(v2Only);
  });
});

describe('the compose check fails on a broken file', () => {
  it('rejects an unknown service key', () => {
    const r = composeConfig(fixture('compose-unknown-key.yml'), undefined, true);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("Unsupported config option for services.catalog: 'imagee'");
  });

  it('rejects a depends_on condition that does not exist', () => {
    const r = composeConfig(fixture('compose-bad-condition.yml'), undefined, true);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('services.catalog.depends_on.catalog-migrate.condition contains "service_finished"');
  });
});
