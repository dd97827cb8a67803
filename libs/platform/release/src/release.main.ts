import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { signToken } from '@shop/platform/auth';
import { runCanaryRelease } from './canary-release';
import { gatewayReleases } from './gateway-releases.client';
import { canaryDeployment } from './k8s-canary';
import { localSupervisor } from './local-supervisor.client';

const USAGE =
  'usage: npm run release -- canary <service> [--weight <percent>] [--window <seconds>] [--env NAME=value ...]\n' +
  '       npm run release --silent -- k8s-canary <service> <image> [<namespace>]   (prints the canary Deployment: | kubectl apply -f -)';

interface Args {
  service: string;
  weight: number;
  windowSeconds: number;
  env: Record<string, string>;
}

export function parseArgs(argv: string[]): Args {
  const [command, service, ...rest] = argv;
  if (command !== 'canary' || !service || service.startsWith('-')) throw new Error(USAGE);
  const args: Args = { service, weight: 25, windowSeconds: 120, env: {} };
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value; ${USAGE}`);
    if (flag === '--weight' && /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 100) args.weight = Number(value);
    else if (flag === '--window' && /^\d+$/.test(value) && Number(value) >= 10) args.windowSeconds = Number(value);
    else if (flag === '--env' && /^[A-Z][A-Z0-9_]*=/.test(value)) args.env[value.slice(0, value.indexOf('='))] = value.slice(value.indexOf('=') + 1);
    else throw new Error(`${flag} ${value}: not understood (--weight 1..100, --window 10 or more seconds, --env NAME=value); ${USAGE}`);
  }
  return args;
}

/** A release's name: the build's version, and a short hash of the environment it adds, when it adds any. */
export function releaseId(version: string, env: Record<string, string>): string {
  const entries = Object.entries(env).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? `${version}-${createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 6)}` : version;
}

function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json'))) {
    if (dirname(dir) === dir) throw new Error('release: cannot find the workspace (nx.json)');
    dir = dirname(dir);
  }
  return dir;
}

/**
 * `npm run release -- canary <service>`: builds the service as it is in the
 * workspace, keeps that build under .local/releases, and releases it as a
 * canary beside the stable instance `npm start` runs: a share of the
 * gateway's calls and of the partitions, judged by the confidence check over
 * the window, promoted or rolled back on its own (docs/releases.md).
 * `--env NAME=value` starts the canary with more settings (the demonstration's
 * PAYMENT_FAULTY_RELEASE_PERCENT). Exits 0 when promoted, 3 when rolled back.
 */
async function main(): Promise<number> {
  if (process.argv[2] === 'k8s-canary') return k8sCanary(process.argv.slice(3));
  const args = parseArgs(process.argv.slice(2));
  const root = workspaceRoot();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const { APPS, localJwtSecret } = require(join(root, 'dist', 'tools', 'apps.js')) as { APPS: Array<{ name: string; port: number; database?: unknown }>; localJwtSecret: () => string };
  const services = APPS.filter((a) => a.database).map((a) => a.name);
  if (!services.includes(args.service)) throw new Error(`${args.service}: a canary is released for a service behind the gateway (${services.join(', ')})`);
  const built = spawnSync(process.execPath, [join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), 'run', `${args.service}:build`, '--outputStyle=static'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (built.status !== 0) throw new Error(`nx build ${args.service} failed:\n${built.stdout}${built.stderr}`);
  const output = join(root, 'dist', 'deploy', args.service);
  const version = readFileSync(join(output, 'VERSION'), 'utf8').trim();
  const id = releaseId(version, args.env);
  const dir = join(root, '.local', 'releases', args.service, id);
  if (!existsSync(dir)) cpSync(output, dir, { recursive: true });

  const supervisor = localSupervisor(join(root, '.local', 'start.sock'), { dir, version: id, env: args.env });
  const { stable, canary } = await supervisor.describe(args.service);
  if (!stable) throw new Error(`npm start runs no stable ${args.service}`);
  if (canary) throw new Error(`${args.service} has a canary already (${canary.version}); one release at a time`);
  if (stable.version === id) throw new Error(`${args.service} ${id} is what runs already: change the service first (or pass --env to try a setting)`);
  const gateway = APPS.find((a) => a.name === 'api-gateway');
  const secret = localJwtSecret();
  const releases = gatewayReleases(`http://127.0.0.1:${gateway?.port ?? 3000}`, () => signToken(secret, { sub: 'release-tool', role: 'admin' }));

  const stop = new AbortController();
  process.once('SIGINT', () => {
    say('release: stopping: the canary is rolled back');
    stop.abort();
  });
  say(`release: ${args.service} ${id} (stable ${stable.version}); see it at http://localhost:4200/admin`);
  const outcome = await runCanaryRelease({
    service: args.service,
    version: id,
    stableVersion: stable.version,
    supervisor,
    gateway: releases,
    weight: args.weight,
    windowMs: args.windowSeconds * 1000,
    log: say,
    signal: stop.signal,
  });
  say(`release: verdict ${outcome.verdict}`);
  for (const s of outcome.report.signals) say(`  ${s.verdict.padEnd(15)} ${s.name}: canary ${s.canary}; stable ${s.stable}${s.note ? ` (${s.note})` : ''}`);
  return outcome.verdict === 'promote' ? 0 : 3;
}

/**
 * `k8s-canary <service> <image> [<namespace>]`: the canary Deployment of a
 * service in the cluster kubectl points at, made from its stable Deployment
 * there (k8s-canary.ts), as JSON for `kubectl apply -f -`.
 */
function k8sCanary([service, image, namespace = 'shop']: string[]): number {
  if (!service || !image) throw new Error(USAGE);
  const got = spawnSync('kubectl', ['-n', namespace, 'get', 'deployment', service, '-o', 'json'], { encoding: 'utf8' });
  if (got.status !== 0) throw new Error(`kubectl get deployment ${service} failed: ${(got.stderr || got.error?.message || '').trim()}`);
  const stable = JSON.parse(got.stdout);
  for (const field of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields', 'annotations']) delete stable.metadata[field];
  process.stdout.write(`${JSON.stringify(canaryDeployment(stable, image), null, 2)}\n`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`release: ${err.message}\n`);
      process.exit(1);
    },
  );
}
