import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataServices, root, run } from './deploy-manifests';

const SCRIPTS = ['scripts/kind-up.sh', 'scripts/kind-down.sh', 'deploy/postgres/init-shop.sh'];
const SHELLCHECK = '/usr/bin/shellcheck';

describe('deployment shell scripts', () => {
  it.each(SCRIPTS)('%s parses, is strict and executable', (script) => {
    const r = run('bash', ['-n', script]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(join(root, script), 'utf8')).toMatch(/^set -euo pipefail$/m);
    expect(run('test', ['-x', script]).status).toBe(0);
  });

  it('are clean under shellcheck', () => {
    // npm test installs shellcheck (tools/infra/system-packages.js); a bare jest run without it says so.
    if (!existsSync(SHELLCHECK)) throw new Error('shellcheck is missing: apt-get install -y shellcheck (npm test installs it)');
    const r = run(SHELLCHECK, SCRIPTS);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  it('shellcheck fails on a broken script (the check bites)', () => {
    if (!existsSync(SHELLCHECK)) throw new Error('shellcheck is missing: apt-get install -y shellcheck (npm test installs it)');
    const r = run(SHELLCHECK, [join(__dirname, 'fixtures', 'broken-script.sh')]);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain('SC2086');
  });
});

describe('the Postgres init script', () => {
  it('creates the schemas and roles of tools/infra/postgres.js SERVICES, in the same order', () => {
    const text = readFileSync(join(root, 'deploy', 'postgres', 'init-shop.sh'), 'utf8');
    const list = /^SERVICES="([^"]+)"$/m.exec(text)?.[1] ?? '';
    const parsed = list.split(' ').map((entry) => {
      const [service, schema, role] = entry.split(':');
      return { service, schema, role };
    });
    expect(parsed).toEqual(dataServices());
  });
});
