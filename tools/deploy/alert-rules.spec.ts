import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { appsRegistry, root } from './deploy-manifests';
import { alertRulesFile, appTargets, prometheusConfig } from '../infra/prometheus';
const APPS = appsRegistry();
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

  // Kubernetes' configuration (kubernetes.yml) names the same file, but Debian's Prometheus is built without
  // Kubernetes discovery, so its promtool cannot read that one.
  it("compose's Prometheus configuration loads the rules", () => {
    const dir = mkdtempSync(join(tmpdir(), 'prometheus-config-'));
    try {
      // Mounted at /etc/prometheus/alerts.yml there; here it is where the repository keeps it.
      const config = readFileSync(join(root, 'deploy', 'prometheus', 'compose.yml'), 'utf8');
      expect(config).toContain('/etc/prometheus/alerts.yml');
      writeFileSync(join(dir, 'prometheus.yml'), config.replace('/etc/prometheus/alerts.yml', alertRulesFile(root)));
      const r = promtool('check', 'config', join(dir, 'prometheus.yml'));
      expect(r.output).toContain('SUCCESS: 7 rules found');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("npm start's Prometheus configuration scrapes every app and loads the rules", () => {
    const dir = mkdtempSync(join(tmpdir(), 'prometheus-config-'));
    try {
      const file = join(dir, 'prometheus.yml');
      writeFileSync(file, prometheusConfig({ targets: appTargets(APPS), ruleFiles: [alertRulesFile(root)] }));
      const r = promtool('check', 'config', file);
      expect(r.output).toContain('SUCCESS: 7 rules found');
      expect(r.status).toBe(0);
      expect(appTargets(APPS).map((t) => t.job).sort()).toEqual(APPS.map((a) => a.name).sort());
      expect(appTargets(APPS).find((t) => t.job === 'api-gateway')?.address).toBe('127.0.0.1:9464');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
