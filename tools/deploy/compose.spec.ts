import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { COMPOSE_FILE, composeConfig, root } from './deploy-manifests';

const fixture = (name: string) => join(__dirname, 'fixtures', name);

/** Keys Compose v2 knows and docker-compose 1.29 (Debian's, which `npm test` runs) does not. */
function v2OnlyKeys(text: string): string[] {
  const file = parse(text) as { services: Record<string, Record<string, unknown>> } & Record<string, unknown>;
  const found = ['name', 'include'].filter((k) => k in file);
  for (const [name, service] of Object.entries(file.services ?? {})) {
    for (const key of ['develop', 'deploy', 'pull_policy']) if (key in service) found.push(`services.${name}.${key}`);
    const health = service.healthcheck as Record<string, unknown> | undefined;
    if (health && 'start_interval' in health) found.push(`services.${name}.healthcheck.start_interval`);
  }
  return found;
}

/** docker-compose 1.29 (Debian's); the file also avoids every key Compose v2 alone knows. */
describe('docker-compose.yml', () => {
  it('is accepted as typed: no env file, no variable set', () => {
    const r = composeConfig(COMPOSE_FILE, true);
    expect(r.stderr.trim()).toBe('');
    expect(r.status).toBe(0);
  });

  it('uses no key that only Compose v2 knows', () => {
    expect(v2OnlyKeys(readFileSync(COMPOSE_FILE, 'utf8'))).toEqual([]);
  });

  it('takes the compose smoke override on top, which needs the port of the smoke\'s receiver', () => {
    const files = [COMPOSE_FILE, join(root, 'e2e', 'compose', 'docker-compose.smoke.yml')];
    const r = composeConfig(files, false, { SMOKE_OTLP_PORT: '4318' });
    expect(r.status).toBe(0);
    const services = (parse(r.stdout) as { services: Record<string, { environment?: Record<string, string> }> }).services;
    expect(services.order.environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otlp-receiver:4318');
    expect(services.order.environment?.DATABASE_SCHEMA).toBe('orders');
    const unset = composeConfig(files, true);
    expect(unset.status).not.toBe(0);
    expect(unset.stderr).toContain('the compose smoke sets SMOKE_OTLP_PORT');
  });
});

describe('the compose checks fail on a broken file', () => {
  it('rejects an unknown service key', () => {
    const r = composeConfig(fixture('compose-unknown-key.yml'), true);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("Unsupported config option for services.catalog: 'imagee'");
  });

  it('rejects a depends_on condition that does not exist', () => {
    const r = composeConfig(fixture('compose-bad-condition.yml'), true);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('services.catalog.depends_on.catalog-migrate.condition contains "service_finished"');
  });

  it('names the keys only Compose v2 knows', () => {
    const text = 'name: shop\nservices:\n  a:\n    image: x\n    deploy: {}\n    healthcheck:\n      start_interval: 1s\n';
    expect(v2OnlyKeys(text)).toEqual(['name', 'services.a.deploy', 'services.a.healthcheck.start_interval']);
  });
});
