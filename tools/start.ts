/**
 * `npm start`: the whole platform as local processes, no Docker.
 * Installs and builds what is missing, finds or starts Postgres and Kafka,
 * a trace server (Zipkin) and Prometheus, applies migrations, runs every app
 * (traced) with prefixed logs, prints the URLs once all are ready, and on
 * Ctrl-C or SIGTERM stops everything it started. `npm start -- --lean` (or
 * SHOP_LEAN=1) leaves out the trace server, Prometheus and tracing. While
 * it runs, `npm run release` can start a canary of an app beside it and
 * promote it, through its control socket (tools/local/local-instances.ts).
 */
import type { Server } from 'node:http';
import * as path from 'node:path';
import { root, build } from './lib/workspace';
import { App, APPS } from './apps';
import { COLORS, migrateApp, provisionInfra, sayAs } from './local/local-platform';
import { LocalInstances, serveControl } from './local/local-instances';
import { startObservability } from './observability';

const say = sayAs('start');
const lean = process.argv.includes('--lean') || process.env.SHOP_LEAN === '1';

/**
 * An empty catalog gets the demo products (apps/storefront/src/demo), through the gateway like any
 * product, so a first visit finds a shop; SHOP_DEMO_CATALOG=0 leaves it empty. A catalog with other
 * products is left alone. A failure here is reported and the platform keeps running.
 */
async function loadDemoCatalog(gateway: App): Promise<void> {
  const demo = require(path.join(root, 'dist', 'apps', 'storefront', 'src', 'demo', 'demo-catalog.main.js')) as { demoCatalogEnabled(env: NodeJS.ProcessEnv): boolean };
  if (!demo.demoCatalogEnabled(process.env)) return say('demo catalog: off (SHOP_DEMO_CATALOG)');
  const { loadDemoCatalog: load } = require(path.join(root, 'dist', 'apps', 'storefront', 'src', 'demo', 'demo-catalog.loader.js')) as {
    loadDemoCatalog(options: {
      gatewayUrl: string;
      log: (line: string) => void;
    }): Promise<{ outcome: 'loaded'; created: number; alreadyThere: number } | { outcome: 'left-alone'; reason: string }>;
  };
  try {
    const result = await load({ gatewayUrl: `http://127.0.0.1:${gateway.port}`, log: say });
    if (result.outcome === 'left-alone') say(`demo catalog: not loaded, ${result.reason}`);
    else if (!result.created) say('demo catalog: already loaded');
  } catch (err) {
    say(`demo catalog: not loaded: ${String((err as Error).message).split('\n')[0]}`);
  }
}

async function main() {
  const started = Date.now();
  build(say);

  let instances: LocalInstances | undefined;
  let control: Server | undefined;
  let stopping = false;
  let stopInfra: () => Promise<void> = async () => undefined;
  // Started beside Postgres and Kafka (the trace server's JVM takes seconds), awaited before the apps start.
  const observing = startObservability({ rootDir: root, apps: APPS, lean, log: say });

  async function stopAll(code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    control?.close();
    await instances?.stopAll();
    await (await observing.catch(() => undefined))?.stop();
    await stopInfra();
    say('stopped');
    process.exit(code);
  }
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const provisioned = await provisionInfra(say);
    stopInfra = provisioned.stop;
    const { infra } = provisioned;

    for (const app of APPS.filter((a) => a.database)) say(await migrateApp(app, infra));

    const observability = await observing;
    // Each instance waits for its app's whole status (tools/local/local-platform.ts, upUrl): "all ready" means at work.
    instances = new LocalInstances({
      apps: APPS,
      infra,
      envFor: (app) => observability.envFor(app),
      say,
      colors: COLORS,
      onExit: (app, code, signal, track) => say(`${app.name}${track === 'canary' ? ' (canary)' : ''} exited (${signal ?? `code ${code}`}); the other apps keep running`),
    });
    const failed = await instances.startAll();
    if (failed.length) {
      say(`not ready: ${failed.join(', ')} (see their logs above)`);
      return stopAll(1);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    say(`all ready in ${seconds} s:`);
    for (const app of APPS) {
      const metrics = app.metricsPort ? `http://localhost:${app.metricsPort}/metrics` : '/metrics';
      const health = app.database ? '/health/ready, /health/status' : '/health/ready';
      say(`  ${app.name.padEnd(12)} http://localhost:${app.port}  (health: ${health}, metrics: ${metrics})`);
    }
    say(`  kafka        ${infra.brokers}`);
    say(`  postgres     ${new URL(infra.adminUrl).host}/${infra.dbName}`);
    for (const line of observability.lines) say(line);
    control = await serveControl(instances);
    await loadDemoCatalog(appNamed('api-gateway'));
    const shop = appNamed('storefront');
    say(`open http://localhost:${shop.port} and buy something; the operator console is at /admin`);
    say('press Ctrl-C to stop everything');
  } catch (err) {
    say(`error: ${String((err as Error).message).split('\n')[0]}`);
    return stopAll(1);
  }
}

function appNamed(name: string): App {
  const app = APPS.find((a) => a.name === name);
  if (!app) throw new Error(`tools/apps.ts has no ${name}`);
  return app;
}

main().catch((err: Error) => {
  process.stderr.write(`start: ${String(err.message).split('\n')[0]}\n`);
  process.exit(1);
});
