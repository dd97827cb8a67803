/**
 * `nx serve <app>` (or `sh tools/run.sh serve <app>`): one app alone, in watch
 * mode, on the infrastructure `npm start` provisions (Postgres and Kafka found
 * or started, the app's migrations applied), with the environment and port
 * `npm start` gives it (tools/apps.ts). A change to the app's sources or to a
 * library it uses rebuilds it (`nx build <app>`, so only what changed is
 * compiled) and restarts it; a build that fails leaves the running process
 * alone and says why. The services it calls are wherever `npm start` runs
 * them; start those you need the same way. Ctrl-C stops it and whatever it
 * started.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createProjectGraphAsync } from '@nx/devkit';
import { root, nx } from './lib/workspace';
import type { Log } from './lib/workspace';
import { APPS } from './apps';
import { localEnv, migrateApp, provisionInfra, sayAs, spawnApp, stopChild, upUrl, waitReady } from './local/local-platform';

export interface WatchRestartOptions<C> {
  dirs: string[];
  build: () => Promise<boolean>;
  start: () => Promise<C>;
  stop: (child: C) => Promise<void>;
  log: Log;
  settleMs?: number;
  ignore?: RegExp;
}

/** Changes closer together than this are one change (an editor writes a file in several steps). */
const SETTLE_MS = 300;

/**
 * Rebuilds and restarts on changes under `dirs`: `build()` returns whether it
 * succeeded; `start()` returns the new process, `stop(child)` ends one. Used
 * by `nx serve` and tested on its own (tools/serve.spec.ts).
 */
class WatchRestart<C> {
  readonly dirs: string[];
  readonly build: () => Promise<boolean>;
  readonly start: () => Promise<C>;
  readonly stop: (child: C) => Promise<void>;
  readonly log: Log;
  readonly settleMs: number;
  readonly ignore: RegExp;
  readonly watchers: fs.FSWatcher[] = [];
  readonly pending = new Set<string>();
  timer: NodeJS.Timeout | undefined = undefined;
  running: Promise<void> = Promise.resolve();
  child: C | undefined = undefined;
  restarts = 0;

  constructor({
    dirs,
    build,
    start,
    stop,
    log,
    settleMs = SETTLE_MS,
    ignore = /(^|\/)(node_modules|dist|generated|\.local)(\/|$)|\.(spec|int-spec)\.ts$/,
  }: WatchRestartOptions<C>) {
    this.dirs = dirs;
    this.build = build;
    this.start = start;
    this.stop = stop;
    this.log = log;
    this.settleMs = settleMs;
    this.ignore = ignore;
  }

  async begin(): Promise<void> {
    this.child = await this.start();
    for (const dir of this.dirs) {
      this.watchers.push(
        fs.watch(dir, { recursive: true }, (_event, file) => {
          if (file && this.ignore.test(String(file))) return;
          this.pending.add(path.relative(root, path.join(dir, String(file ?? ''))));
          clearTimeout(this.timer);
          this.timer = setTimeout(() => this.changed(), this.settleMs);
        }),
      );
    }
  }

  changed(): Promise<void> {
    const files = [...this.pending].sort();
    this.pending.clear();
    // One rebuild at a time: a change during a build waits for it, then builds again.
    this.running = this.running.then(async () => {
      this.log(`changed: ${files.join(', ')}; rebuilding`);
      if (!(await this.build())) return this.log('the build failed (above); the running process carries on');
      if (this.child !== undefined) await this.stop(this.child);
      this.child = await this.start();
      this.restarts++;
    });
    return this.running;
  }

  async end(): Promise<void> {
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    await this.running;
    if (this.child !== undefined) await this.stop(this.child);
  }
}

/** The source folders of the app and of every project it depends on, from Nx's project graph. */
async function sourceDirs(app: string): Promise<string[]> {
  const graph = await createProjectGraphAsync({ exitOnError: true });
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !graph.nodes[name]) return;
    seen.add(name);
    for (const dep of graph.dependencies[name] ?? []) visit(dep.target);
  };
  visit(app);
  // The test helpers are reached from specs only; they never change what runs.
  seen.delete('testing');
  return [...seen].map((name) => path.join(root, graph.nodes[name].data.root)).filter((dir) => fs.existsSync(dir));
}

async function main() {
  const name = process.argv[2];
  const say = sayAs('serve');
  const app = APPS.find((a) => a.name === name);
  if (!app) throw new Error(`no app ${name ?? ''}; one of ${APPS.map((a) => a.name).join(', ')}`);

  const build = () => {
    const started = Date.now();
    try {
      nx(['run', `${app.name}:build`], { quiet: true });
      say(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return true;
    } catch (err) {
      say((err as Error).message);
      return false;
    }
  };
  if (!build()) process.exit(1);
  const { infra, stop: stopInfra } = await provisionInfra(say);
  let watcher: WatchRestart<ReturnType<typeof spawnApp>> | undefined;
  const shutdown = async (code: number) => {
    await watcher?.end();
    await stopInfra();
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  try {
    if (app.database) say(await migrateApp(app, infra));
    const start = async () => {
      const child = spawnApp(app, { env: localEnv(app, infra) });
      const ok = await waitReady(upUrl(app), child, 60_000);
      say(ok ? `${app.name} ready on http://localhost:${app.port}; watching its sources` : `${app.name} is not ready (see its log above); fix the code and it starts again`);
      return child;
    };
    watcher = new WatchRestart({
      dirs: await sourceDirs(app.name),
      build: async () => {
        if (!build()) return false;
        // A migration the change added is applied before the app starts again.
        if (app.database) say(await migrateApp(app, infra));
        return true;
      },
      start,
      stop: (child) => stopChild(child),
      log: say,
    });
    await watcher.begin();
  } catch (err) {
    say(`error: ${String((err as Error).message).split('\n')[0]}`);
    await shutdown(1);
  }
}

export { WatchRestart };

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`serve: ${String(err.message).split('\n')[0]}\n`);
    process.exit(1);
  });
}
