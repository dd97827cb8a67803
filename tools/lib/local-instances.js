'use strict';
/**
 * The apps `npm start` runs, as instances it can change while it runs: each
 * app's stable instance (from the workspace's build, or from a release it
 * promoted) and at most one canary beside it (a release's build, on a port of
 * its own, in the same database and consumer groups). Each instance's metrics
 * and traces carry its version and track (OpenTelemetry resource attributes).
 * `npm run release` drives them through a control socket, .local/start.sock,
 * which only this user can open (docs/releases.md).
 */
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { root } = require('./workspace');
const { localEnv, migrateApp, spawnApp, stopChild, upUrl, waitReady } = require('./local-platform');

const SOCKET = path.join(root, '.local', 'start.sock');

/** A port nothing listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A build's version: the VERSION its app-package step wrote (dist/deploy/<app>, or a release folder copied from it). */
function versionOf(dir) {
  const file = path.join(dir, 'VERSION');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : 'dev';
}

class LocalInstances {
  /**
   * @param {{ apps: Array<{ name: string, port: number, metricsPort?: number, database?: object }>, infra: object, say: (line: string) => void, colors: number[], onExit: (app: object, code: number | null, signal: string | null) => void, envFor?: (app: object) => Record<string, string> }} options
   *   envFor: what every instance of the app gets besides tools/apps.js's environment (npm start's tracing and Prometheus settings)
   */
  constructor({ apps, infra, say, colors, onExit, envFor = () => ({}) }) {
    Object.assign(this, { apps, infra, say, colors, onExit, envFor });
    /** @type {Map<string, { child: import('node:child_process').ChildProcess, port: number, version: string, dir?: string }>} */
    this.stable = new Map();
    this.canaries = new Map();
    this.stopping = false;
  }

  app(name) {
    const app = this.apps.find((a) => a.name === name);
    if (!app) throw Object.assign(new Error(`no app ${name}`), { status: 404 });
    return app;
  }

  /**
   * Starts an instance and resolves once it is fully up (false when it never is): a data-owning service's
   * /health/status, so a canary is judged, and a promoted build counted as running, only once its consumers
   * have joined (local-platform.js, upUrl). A canary of an app with a metrics listener of its own gets a
   * free port for it, as it does for its HTTP port.
   */
  async spawn(app, { port, track, version, dir, env = {}, metricsPort }) {
    const attributes = `service.version=${version},release.track=${track}`;
    const child = spawnApp(app, {
      env: {
        ...localEnv(app, this.infra),
        ...this.envFor(app),
        PORT: String(port),
        ...(metricsPort ? { METRICS_PORT: String(metricsPort) } : {}),
        OTEL_RESOURCE_ATTRIBUTES: attributes,
        ...env,
      },
      entry: dir ? path.join(dir, 'dist', 'apps', app.name, 'src', 'main.js') : undefined,
      label: track === 'canary' ? `${app.name}*` : app.name,
      color: this.colors[this.apps.indexOf(app) % this.colors.length],
    });
    child.on('exit', (code, signal) => {
      if (!this.stopping && !child.expectedExit) this.onExit(app, code, signal, track);
    });
    const ready = await waitReady(upUrl(app, port), child, 60_000);
    return { child, ready };
  }

  /** Every app's stable instance from the workspace's build; resolves with those that never got ready. */
  async startAll() {
    const started = await Promise.all(
      this.apps.map(async (app) => {
        const version = versionOf(path.join(root, 'dist', 'deploy', app.name));
        const { child, ready } = await this.spawn(app, { port: app.port, track: 'stable', version });
        this.stable.set(app.name, { child, port: app.port, version });
        return { app, ok: ready };
      }),
    );
    return started.filter((s) => !s.ok).map((s) => s.app.name);
  }

  describe(name) {
    this.app(name);
    const url = (i) => `http://127.0.0.1:${i.port}`;
    const s = this.stable.get(name);
    const c = this.canaries.get(name);
    return {
      stable: s ? { url: url(s), version: s.version, pid: s.child.pid } : null,
      canary: c ? { url: url(c), version: c.version, pid: c.child.pid } : null,
    };
  }

  /** A release's build beside the stable instance: its migrations first (a canary's must suit the stable version too). */
  async startCanary(name, { dir, version, env }) {
    const app = this.app(name);
    if (this.canaries.has(name)) throw Object.assign(new Error(`${name} has a canary already (${this.canaries.get(name).version})`), { status: 409 });
    const release = this.releaseDir(dir);
    if (app.database) this.say(await migrateApp(app, this.infra, path.join(release, 'libs', name, 'data-access', 'prisma', 'migrations')));
    const port = await freePort();
    const metricsPort = app.metricsPort ? await freePort() : undefined;
    const { child, ready } = await this.spawn(app, { port, track: 'canary', version, dir: release, env, metricsPort });
    this.canaries.set(name, { child, port, version, dir: release, env });
    if (!ready) {
      await this.stopCanary(name);
      throw new Error(`${name}'s canary ${version} did not get ready (its log is above)`);
    }
    this.say(`${name}: canary ${version} on http://localhost:${port}`);
    return this.describe(name);
  }

  async stopCanary(name) {
    const canary = this.canaries.get(name);
    if (!canary) return this.describe(name);
    canary.child.expectedExit = true;
    await stopChild(canary.child, 30_000);
    this.canaries.delete(name);
    this.say(`${name}: canary ${canary.version} stopped`);
    return this.describe(name);
  }

  /** The stable instance replaced by the canary's build, on the stable port; the canary keeps running meanwhile. */
  async promote(name) {
    const app = this.app(name);
    const canary = this.canaries.get(name);
    if (!canary) throw Object.assign(new Error(`${name} has no canary to promote`), { status: 409 });
    const old = this.stable.get(name);
    if (old) {
      old.child.expectedExit = true;
      await stopChild(old.child, 30_000);
    }
    const { child, ready } = await this.spawn(app, { port: app.port, track: 'stable', version: canary.version, dir: canary.dir, env: canary.env });
    this.stable.set(name, { child, port: app.port, version: canary.version, dir: canary.dir });
    if (!ready) throw new Error(`${name} ${canary.version} did not get ready as the stable instance (its log is above)`);
    this.say(`${name}: the stable instance runs ${canary.version} now`);
    return this.describe(name);
  }

  async stopAll() {
    this.stopping = true;
    const all = [...this.canaries.values(), ...this.stable.values()];
    await Promise.all(all.map((i) => stopChild(i.child)));
  }

  /** Releases come from .local/releases only: the control socket never runs code from anywhere else. */
  releaseDir(dir) {
    const releases = path.join(root, '.local', 'releases');
    const resolved = path.resolve(String(dir ?? ''));
    if (!resolved.startsWith(`${releases}${path.sep}`) || !fs.existsSync(path.join(resolved, 'VERSION'))) {
      throw Object.assign(new Error(`a release is a build under ${path.relative(root, releases)} (npm run release makes them)`), { status: 400 });
    }
    return resolved;
  }
}

/**
 * The control socket: GET /apps/<app>, POST|DELETE /apps/<app>/canary,
 * POST /apps/<app>/promote; JSON in and out. Resolves once it listens.
 */
async function serveControl(instances, socket = SOCKET) {
  fs.mkdirSync(path.dirname(socket), { recursive: true });
  fs.rmSync(socket, { force: true });
  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (text += c));
    req.on('end', async () => {
      const answer = (status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      try {
        const body = text ? JSON.parse(text) : {};
        const [, name, action] = /^\/apps\/([\w-]+)(?:\/(canary|promote))?$/.exec(req.url ?? '') ?? [];
        if (!name) return answer(404, { error: `no route ${req.method} ${req.url}` });
        if (req.method === 'GET' && !action) return answer(200, instances.describe(name));
        if (req.method === 'POST' && action === 'canary') return answer(201, await instances.startCanary(name, body));
        if (req.method === 'DELETE' && action === 'canary') return answer(200, await instances.stopCanary(name));
        if (req.method === 'POST' && action === 'promote') return answer(200, await instances.promote(name));
        return answer(405, { error: `${req.method} ${req.url} is not a control route` });
      } catch (err) {
        answer(err.status ?? (err instanceof SyntaxError ? 400 : 500), { error: err.message });
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, resolve);
  });
  fs.chmodSync(socket, 0o600);
  return server;
}

module.exports = { LocalInstances, serveControl, SOCKET };
