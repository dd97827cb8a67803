import { spawnSync } from 'node:child_process';

/**
 * prom-client's own default metrics that promtool flags (gauges named
 * `_total`): not ours to rename, and renaming them would break every
 * dashboard made for Node.js.
 */
const PROM_CLIENT_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * What `promtool check metrics` (Prometheus's own linter) says of a /metrics
 * text: one line per problem with the platform's own metrics (a counter
 * without `_total`, a type in a name...), none when they are clean. npm test
 * installs Prometheus, whose package has it.
 */
export function promtoolProblems(metricsText: string): string[] {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: metricsText, encoding: 'utf8' });
  if (r.error) throw new Error(`testing: promtool could not run (${r.error.message}); npm test installs it with Prometheus`);
  return `${r.stdout}${r.stderr}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !PROM_CLIENT_DEFAULTS.some((name) => line.startsWith(`${name} `)));
}
