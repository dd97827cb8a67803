/**
 * Prometheus beside the apps, for `npm start` and the tests: Debian's package
 * (`prometheus`, with `promtool`), run on 127.0.0.1 with a configuration made
 * here: one job per app, scraped where it serves /metrics, and the alert rules
 * of deploy/prometheus/alerts.yml. Its data lives in .local/prometheus (or the
 * caller's folder). Node built-ins only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { answers, startServer } from './local-server';
import { ensurePackages } from './system-packages';
import type { Log } from '../lib/workspace';

/** What Prometheus needs to know of an app to scrape it (the app registry, tools/apps.ts, has more). */
export interface ScrapedApp {
  name: string;
  port: number;
  metricsPort?: number;
}

/** One scrape job: an app's name and where it serves /metrics. */
export interface Target {
  job: string;
  address: string;
}

const HOST = '127.0.0.1';
const BIN = '/usr/bin/prometheus';
const INSTALL = 'apt-get install -y --no-install-recommends prometheus';

/** The shipped alert rules: what Prometheus loads in npm start, compose and Kubernetes. */
function alertRulesFile(rootDir: string) {
  return path.join(rootDir, 'deploy', 'prometheus', 'alerts.yml');
}

/**
 * The configuration: every target its own job, the rules, and short intervals
 * (a handful of local targets; the console's charts and the alerts react in
 * seconds).
 */
function prometheusConfig({ targets, ruleFiles, interval = '5s' }: { targets: Target[]; ruleFiles: string[]; interval?: string }): string {
  const lines = [
    '# Made by tools/infra/prometheus.ts on every start; edit that file, not this one.',
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    `  scrape_timeout: ${interval}`,
    'rule_files:',
    ...ruleFiles.map((f) => `  - ${JSON.stringify(f)}`),
    'scrape_configs:',
  ];
  for (const t of targets) {
    lines.push(`  - job_name: ${JSON.stringify(t.job)}`, '    static_configs:', `      - targets: [${JSON.stringify(t.address)}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** Where npm start's apps serve /metrics: each service on its port, the gateway on its metrics listener. */
function appTargets(apps: readonly ScrapedApp[]): Target[] {
  return apps.map((app) => ({ job: app.name, address: `${HOST}:${app.metricsPort ?? app.port}` }));
}

/**
 * Starts Prometheus on `port` with the configuration above, its state in `dir`.
 */
async function startPrometheus({
  dir,
  port,
  targets,
  ruleFiles,
  interval,
  retention = '2d',
}: {
  dir: string;
  port: number;
  targets: Target[];
  ruleFiles: string[];
  interval?: string;
  retention?: string;
}): Promise<{ url: string; pid: number | undefined; stop: () => Promise<void> }> {
  fs.mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(configFile, prometheusConfig({ targets, ruleFiles, interval }));
  const url = `http://${HOST}:${port}`;
  const server = await startServer({
    name: 'prometheus',
    cmd: BIN,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--storage.tsdb.retention.time=${retention}`,
      `--web.listen-address=${HOST}:${port}`,
      '--log.level=warn',
    ],
    cwd: dir,
    logFile: path.join(dir, 'prometheus.log'),
    readyUrl: `${url}/-/ready`,
  });
  return { url, pid: server.pid, stop: server.stop };
}

/** Whether Prometheus is installed; as root, installs Debian's package first. Returns the line to print when it is not. */
function installPrometheus(log: Log): string | null {
  if (fs.existsSync(BIN)) return null;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return `prometheus: not installed, so no metrics or alerts here; to have them: sudo ${INSTALL}`;
  }
  ensurePackages(['prometheus'], log);
  return null;
}

/**
 * npm start's Prometheus on 127.0.0.1:`port`, scraping `apps`: the one a
 * previous start left running with this checkout's configuration, or one
 * started here (`stop` is then set). Missing, or the port held by another
 * Prometheus (a system service), it is left out with one line saying why.
 */
async function ensurePrometheus({
  rootDir,
  apps,
  port = 9090,
  log = console.log,
}: {
  rootDir: string;
  apps: readonly ScrapedApp[];
  port?: number;
  log?: Log;
}): Promise<{ url?: string; stop?: () => Promise<void>; skipped?: string }> {
  const skipped = installPrometheus(log);
  if (skipped) return { skipped };
  const dir = path.join(rootDir, '.local', 'prometheus');
  const url = `http://${HOST}:${port}`;
  if (await answers(`${url}/-/ready`)) {
    const flags = await fetch(`${url}/api/v1/status/flags`)
      .then((r) => r.json() as Promise<{ data?: Record<string, string> }>)
      .catch(() => ({ data: undefined }));
    if (flags.data?.['config.file'] !== path.join(dir, 'prometheus.yml')) {
      return { skipped: `prometheus: port ${port} is taken by another Prometheus (a system service? sudo systemctl disable --now prometheus), so none was started` };
    }
    if (!(await stopStale(dir, url))) return { skipped: `prometheus: one started from this checkout still runs on port ${port} and would not stop` };
  }
  const server = await startPrometheus({ dir, port, targets: appTargets(apps), ruleFiles: [alertRulesFile(rootDir)] });
  fs.writeFileSync(path.join(dir, 'prometheus.pid'), `${server.pid}\n`);
  log(`prometheus: started (pid ${server.pid}) on ${url}, log in ${path.relative(rootDir, path.join(dir, 'prometheus.log'))}`);
  return { url, stop: server.stop };
}

/** A Prometheus an earlier start of this checkout left behind (killed -9): stopped, so this start's configuration applies. */
async function stopStale(dir: string, url: string) {
  try {
    process.kill(Number(fs.readFileSync(path.join(dir, 'prometheus.pid'), 'utf8')), 'SIGTERM');
  } catch {
    return false;
  }
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (!(await answers(`${url}/-/ready`, 500))) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

export { ensurePrometheus, startPrometheus, prometheusConfig, appTargets, alertRulesFile };
