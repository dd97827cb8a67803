/**
 * The apps `npm start` runs, as instances it can change while it runs: each
 * app's stable instance (from the workspace's build, or from a release it
 * promoted) and at most one canary beside it (a release's build, on a port of
 * its own, in the same database and consumer groups). Each instance's metrics
 * and traces carry its version and track (OpenTelemetry resource attributes).
 * `npm run release` drives them through a control socket, .local/start.sock,
 * which only this user can open (docs/releases.md).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { root } from '../lib/workspace';
import { AppChild, localEnv, migrateApp, spawnApp, stopChild, upUrl, waitReady } from './local-platform';
import type { Log } from '../lib/workspace';
import type { App, Infra } from '../apps';

/** An instance's process; `expectedExit` once it is being stopped on purpose. */
type InstanceChild = AppChild & { expectedExit?: boolean };

interface Instance {
  child: InstanceChild;
  port: number;
  version: string;
  dir?: string;
  env?: Record<string, string>;
}

/** What `describe` answers for an app: where its instances run. */
export interface InstancesOf {
  stable: { url: string; version: string; pid: number | undefined } | null;
  canary: { url: string; version: string; pid: number | undefined } | null;
}

/** A release to start as a canary: its build under .local/releases, its version, more settings. */
export interface CanaryRequest {
  dir?: string;
  version: string;
  env?: Record<string, string>;
}

/** What the control socket drives (LocalInstances): each answer goes back as JSON. */
export interface Controlled {
  describe(name: string): unknown;
  startCanary(name: string, release: CanaryRequest): Promise<unknown>;
  stopCanary(name: string): Promise<unknown>;
  promote(name: string): Promise<unknown>;
}

/** An error the control socket answers with its own status. */
type ControlError = Error & { status?: number };

const failure = (message: string, status: number): ControlError => Object.assign(new Error(message), { status });

export interface LocalInstancesOptions {
  apps: App[];
  infra: Infra;
  say: Log;
  colors: number[];
  onExit: (app: App, code: number | null, signal: NodeJS.Signals | null, track: string) => void;
  /** What every instance of the app gets besides tools/apps.ts's environment (npm start's tracing and Prometheus settings). */
  envFor?: (app: App) => Record<string, string>;
}

const SOCKET = path.join(root, '.local', 'start.sock');

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A build's version: the VERSION its app-package step wrote (dist/deploy/<app>, or a release folder copied from it). */
function versionOf(dir: string) {
  const file = path.join(dir, 'VERSION');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : 'dev';
}

class LocalInstances {
  readonly apps: App[];
  readonly infra: Infra;
  readonly say: Log;
  readonly colors: number[];
  readonly onExit: LocalInstancesOptions['onExit'];
  readonly envFor: (app: App) => Record<string, string>;
  readonly stable = new Map<string, Instance>();
  readonly canaries = new Map<string, Instance>();
  stopping = false;

  constructor({ apps, infra, say, colors, onExit, envFor = () => ({}) }: LocalInstancesOptions) {
    this.apps = apps;
    this.infra = infra;
    this.say = say;
    this.colors = colors;
    this.onExit = onExit;
    this.envFor = envFor;
  }

  app(name: string): App {
    const app = this.apps.find((a) => a.name === name);
    if (!app) throw failure(`no app ${name}`, 404);
    return app;
  }

  /**
   * Starts an instance and resolves once it is fully up (false when it never is): a data-owning service's
   * /health/status, so a canary is judged, and a promoted build counted as running, only once its consumers
   * have joined (local-platform.ts, upUrl). A canary of an app with a metrics listener of its own gets a
   * free port for it, as it does for its HTTP port.
   */
  async spawn(
    app: App,
    { port, track, version, dir, env = {}, metricsPort }: { port: number; track: string; version: string; dir?: string; env?: Record<string, string>; metricsPort?: number },
  ): Promise<{ child: InstanceChild; ready: boolean }> {
    const attributes = `service.version=${version},release.track=${track}`;
    const child: InstanceChild = spawnApp(app, {
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
  async startAll(): Promise<string[]> {
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

  describe(name: string): InstancesOf {
    this.app(name);
    const url = (i: Instance) => `http://127.0.0.1:${i.port}`;
    const s = this.stable.get(name);
    const c = this.canaries.get(name);
    return {
      stable: s ? { url: url(s), version: s.version, pid: s.child.pid } : null,
      canary: c ? { url: url(c), version: c.version, pid: c.child.pid } : null,
    };
  }

  /** A release's build beside the stable instance: its migrations first (a canary's must suit the stable version too). */
  async startCanary(name: string, { dir, version, env }: CanaryRequest): Promise<InstancesOf> {
    const app = this.app(name);
    const existing = this.canaries.get(name);
    if (existing) throw failure(`${name} has a canary already (${existing.version})`, 409);
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

  async stopCanary(name: string): Promise<InstancesOf> {
    const canary = this.canaries.get(name);
    if (!canary) return this.describe(name);
    canary.child.expectedExit = true;
    await stopChild(canary.child, 30_000);
    this.canaries.delete(name);
    this.say(`${name}: canary ${canary.version} stopped`);
    return this.describe(name);
  }

  /** The stable instance replaced by the canary's build, on the stable port; the canary keeps running meanwhile. */
  async promote(name: string): Promise<InstancesOf> {
    const app = this.app(name);
    const canary = this.canaries.get(name);
    if (!canary) throw failure(`${name} has no canary to promote`, 409);
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

  async stopAll(): Promise<void> {
    this.stopping = true;
    const all = [...this.canaries.values(), ...this.stable.values()];
    await Promise.all(all.map((i) => stopChild(i.child)));
  }

  /** Releases come from .local/releases only: the control socket never runs code from anywhere else. */
  releaseDir(dir: string | undefined): string {
    const releases = path.join(root, '.local', 'releases');
    const resolved = path.resolve(String(dir ?? ''));
    if (!resolved.startsWith(`${releases}${path.sep}`) || !fs.existsSync(path.join(resolved, 'VERSION'))) {
      throw failure(`a release is a build under ${path.relative(root, releases)} (npm run release makes them)`, 400);
    }
    return resolved;
  }
}

/**
 * The control socket: GET /apps/<app>, POST|DELETE /apps/<app>/canary,
 * POST /apps/<app>/promote; JSON in and out. Resolves once it listens.
 */
async function serveControl(instances: Controlled, socket = SOCKET): Promise<http.Server> {
  fs.mkdirSync(path.dirname(socket), { recursive: true });
  fs.rmSync(socket, { force: true });
  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (text += c));
    req.on('end', async () => {
      const answer = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      try {
        const body = (text ? JSON.parse(text) : {}) as CanaryRequest;
        const [, name, action] = /^\/apps\/([\w-]+)(?:\/(canary|promote))?$/.exec(req.url ?? '') ?? [];
        if (!name) return answer(404, { error: `no route ${req.method} ${req.url}` });
        if (req.method === 'GET' && !action) return answer(200, instances.describe(name));
        if (req.method === 'POST' && action === 'canary') return answer(201, await instances.startCanary(name, body));
        if (req.method === 'DELETE' && action === 'canary') return answer(200, await instances.stopCanary(name));
        if (req.method === 'POST' && action === 'promote') return answer(200, await instances.promote(name));
        return answer(405, { error: `${req.method} ${req.url} is not a control route` });
      } catch (e) {
        const err = e as ControlError;
        answer(err.status ?? (err instanceof SyntaxError ? 400 : 500), { error: err.message });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve());
  });
  fs.chmodSync(socket, 0o600);
  return server;
}

export { LocalInstances, serveControl, SOCKET };
