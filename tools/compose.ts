/**
 * `npm run compose -- up | down`: docker-compose.yml on a machine like the
 * development ones, prepared as the compose smoke prepares it: an engine
 * (started, as root, when none answers; tools/infra/docker.ts) and stand-ins
 * for the third-party images no registry serves (tools/infra/standins.ts).
 *   up     builds one image per app, each tagged with its version (tools/infra/images.ts), starts the stack
 *          on those versions (with Zipkin and Prometheus), leaves it running, prints the URLs and each image's
 *          version and size
 *   down   removes the stack's containers, network and volumes, and stops the engine `up` started
 * Where Docker and its registries work, plain `docker compose up --build` does the same.
 */
import { privateDaemon, stopDocker, engineDriver } from './infra/docker';
import { prepareContainers } from './infra/containers';
import { ensureImages, observabilityImages, pinnedImages } from './infra/standins';
import * as stack from './infra/compose-stack';
import { buildImages, versionVariable } from './infra/images';
import { root as rootDir } from './lib/workspace';

const PROJECT = 'shop';
const log = (line: string) => void process.stdout.write(`${line}\n`);
const port = (name: string, fallback: number) => process.env[name] || String(fallback);

async function up() {
  const engine = await prepareContainers({ rootDir, images: Object.values(pinnedImages(rootDir)), log });
  // The trace server and Prometheus too: pulled, or built as stand-ins (the Zipkin jar, Debian's Prometheus).
  await ensureImages(observabilityImages(rootDir), { rootDir, env: engine.env, log });
  log('compose: building one image per app');
  const images = buildImages({ rootDir, env: engine.env, log });
  const versions = Object.fromEntries(images.map((i) => [versionVariable(i.app), i.version]));
  const app = { rootDir, env: { ...engine.env, ...versions }, project: PROJECT };
  // Every app and what it depends on, the demo catalog's one-shot (SHOP_DEMO_CATALOG=0: off), Zipkin and Prometheus.
  // Each app runs the image just built, under its version.
  stack.up(app, ['storefront', 'demo-catalog', 'zipkin', 'prometheus'], { inherit: true, build: false });
  const gateway = `http://127.0.0.1:${port('SHOP_GATEWAY_PORT', 3000)}`;
  const storefront = `http://127.0.0.1:${port('SHOP_STOREFRONT_PORT', 4200)}`;
  await stack.waitForHttp(`${gateway}/health/ready`, 120_000);
  await stack.waitForHttp(`${storefront}/health/ready`, 60_000);
  log(`\ncompose: the platform is up (project ${PROJECT}), one image per app:`);
  for (const i of images) log(`  ${i.image.padEnd(40)} ${(i.bytes / 1e6).toFixed(0).padStart(4)} MB`);
  log(`  storefront   ${storefront}`);
  log(`  gateway      ${gateway}/api   (OpenAPI at /docs, demo tokens at POST /api/auth/token)`);
  log(`  traces       http://127.0.0.1:${port('SHOP_ZIPKIN_PORT', 9411)}/zipkin/`);
  log(`  prometheus   http://127.0.0.1:${port('SHOP_PROMETHEUS_PORT', 9090)}`);
  if (engine.env.DOCKER_HOST) log(`  docker       export DOCKER_HOST=${engine.env.DOCKER_HOST}`);
  log('  stop with    npm run compose -- down');
}

async function down() {
  // The engine `up` used: the one that answers anyway, else the one `up` started.
  const daemon = engineDriver({}) ? null : privateDaemon(rootDir);
  const env = daemon?.env ?? {};
  if (!engineDriver(env)) {
    log('compose: no Docker engine answers: nothing to take down');
    return;
  }
  const app = { rootDir, env, project: PROJECT };
  stack.down(app, { inherit: true });
  const left = stack.leftovers(app);
  const count = left.containers.length + left.networks.length + left.volumes.length;
  if (count > 0) throw new Error(`compose: left behind: ${JSON.stringify(left)}`);
  log(`compose: project ${PROJECT} removed: no container, network or volume left`);
  if (daemon) await stopDocker({ rootDir, pid: daemon.pid, log });
}

const commands: Record<string, () => Promise<void>> = { up, down };
const command = commands[process.argv[2] ?? ''];
if (!command) {
  process.stderr.write('usage: npm run compose -- up | down\n');
  process.exit(2);
}
command().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
