/**
 * Debian packages the suite and the bench need beyond the base machine:
 * Chromium for the storefront's browser test, docker-compose to check and run
 * the compose file, Docker's engine (docker.io) and mmdebstrap for the compose
 * smoke's engine and stand-in images (tools/infra/docker.ts, standins.ts),
 * shellcheck for the deployment scripts, nginx as the gateway bench's
 * baseline, Prometheus (and its promtool) for npm start's metrics and the
 * alert rules' checks, jq for the REST walkthrough (docs/api-walkthrough.md).
 * Installed with apt on a fresh machine (CI runs as root); elsewhere a
 * missing one is named with the command that installs it.
 */
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import type { Log } from '../lib/workspace';

const PACKAGES: Record<string, { pkg: string; bin: string }> = {
  chromium: { pkg: 'chromium', bin: '/usr/bin/chromium' },
  'docker-compose': { pkg: 'docker-compose', bin: '/usr/bin/docker-compose' },
  'docker.io': { pkg: 'docker.io', bin: '/usr/sbin/dockerd' },
  jq: { pkg: 'jq', bin: '/usr/bin/jq' },
  mmdebstrap: { pkg: 'mmdebstrap', bin: '/usr/bin/mmdebstrap' },
  nginx: { pkg: 'nginx', bin: '/usr/sbin/nginx' },
  prometheus: { pkg: 'prometheus', bin: '/usr/bin/prometheus' },
  shellcheck: { pkg: 'shellcheck', bin: '/usr/bin/shellcheck' },
};

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

type PackageName = 'chromium' | 'docker-compose' | 'docker.io' | 'jq' | 'mmdebstrap' | 'nginx' | 'prometheus' | 'shellcheck';

function ensurePackages(names: readonly PackageName[], log: Log = (l) => void process.stdout.write(`${l}\n`)): void {
  const missing = names.map((n) => PACKAGES[n]).filter((p) => !fs.existsSync(p.bin));
  if (missing.length === 0) return;
  const pkgs = missing.map((p) => p.pkg);
  if (!isRoot()) {
    throw new Error(`missing ${pkgs.join(', ')}: run \`sudo apt-get install -y --no-install-recommends ${pkgs.join(' ')}\``);
  }
  log(`installing ${pkgs.join(', ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: readonly string[]) => spawnSync('apt-get', args, { stdio: 'pipe', encoding: 'utf8', env });
  let r = apt(['install', '-y', '-qq', '--no-install-recommends', ...pkgs]);
  if (r.status !== 0) {
    // A fresh machine may have no package lists yet.
    apt(['update', '-qq']);
    r = apt(['install', '-y', '-qq', '--no-install-recommends', ...pkgs]);
  }
  const still = missing.filter((p) => !fs.existsSync(p.bin));
  if (r.status !== 0 || still.length > 0) {
    throw new Error(`apt-get install ${pkgs.join(' ')} failed: ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' | ')}`);
  }
}

export { ensurePackages };
