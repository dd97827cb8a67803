'use strict';
/**
 * `nx serve <app>` (or `node tools/serve.js <app>`): one app alone, in watch
 * mode, on the infrastructure `npm start` provisions (Postgres and Kafka found
 * or started, the app's migrations applied), with the environment and port
 * `npm start` gives it (tools/apps.js). A change to the app's sources or to a
 * library it uses rebuilds it (`nx build <app>`, so only what changed is
 * compiled) and restarts it; a build that fails leaves the running process
 * alone and says why. The services it calls are wherever `npm start` runs
 * them; start those you need the same way. Ctrl-C stops it and whatever it
 * started.
 */
const fs = require('node:fs');
const path = require('node:path');
const { root, nx, ensureDependencies } = require('./lib/workspace');

/** Changes closer together than this are one change (an editor writes a file in several steps). */
const SETTLE_MS = 300;

/**
 * Rebuilds and restarts on changes under `dirs`: `build()` returns whether it
 * succeeded; `start()` returns the new process, `stop(child)` ends one. Used
 * by `nx serve` and tested on its own (tools/serve.spec.ts).
 */
class WatchRestart {
  constructor({ dirs, build, start, stop, log, settleMs = SETTLE_MS, ignore = /(^|\/)(node_modules|dist|generated|\.local)(\/|$)|\.(spec|int-spec)\.ts$/ }) {
    Object.assign(this, { dirs, build, start, stop, log, settleMs, ignore });
    this.watchers = [];
    this.pending = new Set();
    this.timer = undefined;
    this.running = Promise.resolve();
    this.child = undefined;
    this.restarts = 0;
  }

  async begin() {
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

  changed() {
    const files = [...this.pending].sort();
    this.pending.clear();
    // One rebuild at a time: a change during a build waits for it, then builds again.
    this.running = this.running.then(async () => {
      this.log(`changed: ${files.join(', ')}; rebuilding`);
      if (!(await this.build())) return this.log('the build failed (above); the running process carries on');
      await this.stop(this.child);
      this.child = await this.start();
      this.restarts++;
    });
    return this.running;
  }

  async end() {
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    await this.running;
    if (this.child) await this.stop(this.child);
  }
}

/** The source folders of the app and of every project it depends on, from Nx's project graph. */
async function sourceDirs(app) {
  const { createProjectGraphAsync } = require('@nx/devkit');
  const graph = await createProjectGraphAsync({ exitOnError: true });
  const seen = new Set();
  const visit = (name) => {
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
  const say = require('./lib/local-platform').sayAs('serve');
  ensureDependencies(say);
  const { APPS } = require('./apps');
  const app = APPS.find((a) => a.name === name);
  if (!app) throw new Error(`no app ${name ?? ''}; one of ${APPS.map((a) => a.name).join(', ')}`);
  const { localEnv, migrateApp, provisionInfra, spawnApp, stopChild, upUrl, waitReady } = require('./lib/local-platform');

  const build = () => {
    const started = Date.now();
    try {
      nx(['run', `${app.name}:build`], { quiet: true });
      say(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return true;
    } catch (err) {
      say(err.message);
      return false;
    }
  };
  if (!build()) process.exit(1);
  const { infra, stop: stopInfra } = await provisionInfra(say);
  let watcher;
  const shutdown = async (code) => {
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
    say(`error: ${String(err.message).split('\n')[0]}`);
    await shutdown(1);
  }
}

module.exports = { WatchRestart };

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`serve: ${String(err.message).split('\n')[0]}\n`);
    process.exit(1);
  });
}
