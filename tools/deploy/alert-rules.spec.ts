import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Plain CommonJS tools, as npm start loads them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { alertRulesFile, appTargets, prometheusConfig } = require('../infra/prometheus') as typeof import('../infra/prometheus');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { APPS } = require('../apps') as typeof import('../apps');

const root = join(__dirname, '..', '..');
const promtool = (...args: string[]) => {
  const r = spawnSync('promtool', args, { cwd: join(root, 'deploy', 'prometheus'), encoding: 'utf8' });
  if (r.error) throw new Error(`promtool: ${r.error.message} (npm test installs Debian's prometheus package)`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
};

describe('alert rules (deploy/prometheus/alerts.yml)', () => {
  it('are valid rules', () => {
    const r = promtool('check', 'rules', alertRulesFile(root));
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('fire on the series they are meant for, after their `for:`, and not on healthy ones (alerts.test.yml)', () => {
    const r = promtool('test', 'rules', 'alerts.test.yml');
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('a broken rule is refused (the check bites)', () => {
    const r = promtool('check', 'rules', join(__dirname, 'fixtures', 'alerts-broken.yml'));
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/parse error/);
  });

  it("npm start's Prometheus configuration scrapes every app and loads the rules", () => {
    const dir = mkdtempSync(join(tmpdir(), 'prometheus-config-'));
    try {
      const file = join(dir, 'prometheus.yml');
      writeFileSync(file, prometheusConfig({ targets: appTargets(APPS), ruleFiles: [alertRulesFile(root)] }));
      const r = promtool('check', 'config', file);
      expect(r.output).toContain('SUCCESS: 7 rules found');
      expect(r.status).toBe(0);
      expect(appTargets(APPS).map((t: { job: string }) => t.job).sort()).toEqual(APPS.map((a) => a.name).sort());
      expect(appTargets(APPS).find((t: { job: string }) => t.job === 'api-gateway')?.address).toBe('127.0.0.1:9464');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
