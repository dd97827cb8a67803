import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { appsRegistry, workspaceRoot } from './workspace';

/** A port nothing listens on right now, for a process under test. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface AppProcessOptions {
  /** The app's environment beyond PATH, PORT and LOG_LEVEL (warn unless TEST_APP_LOG_LEVEL or this sets it). */
  env?: Record<string, string>;
  /** Fixed port, kept across restarts; a free one by default. */
  port?: number;
  readyTimeoutMs?: number;
  /** Node options before the entry point, e.g. `--cpu-prof` (which NODE_OPTIONS does not allow). */
  nodeArgs?: string[];
}

/**
 * One compiled app (`dist/apps/<app>/src/main.js`) as a real process: started
 * and awaited on its health (healthPath), stopped gracefully or killed -9, started again
 * on the same port. Keeps the last lines of its output to explain a failure.
 */
export class AppProcess {
  private child?: ChildProcess;
  private readonly output: string[] = [];

  private constructor(
    readonly app: string,
    readonly port: number,
    private env: Record<string, string>,
    private readonly readyTimeoutMs: number,
    private readonly nodeArgs: string[] = [],
  ) {}

  static async start(app: string, options: AppProcessOptions = {}): Promise<AppProcess> {
    const entry = AppProcess.entry(app);
    if (!existsSync(entry)) throw new Error(`testing: ${entry} is missing; run npm run build (npm test does)`);
    const process = new AppProcess(app, options.port ?? (await freePort()), options.env ?? {}, options.readyTimeoutMs ?? 60_000, options.nodeArgs);
    await process.restart();
    return process;
  }

  static entry(app: string): string {
    return join(workspaceRoot(), 'dist', 'apps', app, 'src', 'main.js');
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * What a start waits for: a service's whole status (its consumers joined, its relay publishing), so a test
   * starts from a platform at work; the gateway's and the storefront's readiness.
   */
  private get healthPath(): string {
    return appsRegistry().APPS.find((a) => a.name === this.app)?.database ? '/health/status' : '/health/ready';
  }

  /** The process id, for /proc readings (CPU per request in the bench). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && !this.child.signalCode);
  }

  /** Changes the environment for the next start (an empty value removes a variable). */
  setEnv(env: Record<string, string>): void {
    this.env = { ...this.env, ...env };
  }

  /** Starts the process (again, on the same port) and waits until it is ready; a process that never gets ready is killed. */
  async restart(): Promise<void> {
    if (this.running) throw new Error(`testing: ${this.app} is already running`);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      PORT: String(this.port),
      LOG_LEVEL: process.env.TEST_APP_LOG_LEVEL ?? 'warn',
      ...this.env,
    };
    for (const [name, value] of Object.entries(env)) if (value === '') delete env[name];
    const child = spawn(process.execPath, [...appsRegistry().NODE_ARGS, ...this.nodeArgs, AppProcess.entry(this.app)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + this.readyTimeoutMs;
    while (Date.now() < deadline) {
      // A process killed by a signal (a crash at boot) has no exit code, only a signal code.
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`testing: ${this.app} exited with ${child.exitCode ?? child.signalCode}:\n${this.logs()}`);
      }
      try {
        if ((await fetch(`${this.url}${this.healthPath}`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.kill();
    throw new Error(`testing: ${this.app} not ready within ${this.readyTimeoutMs} ms:\n${this.logs()}`);
  }

  /** SIGTERM (the app drains), then SIGKILL if it has not exited within `graceMs`: no child may outlive the suite. */
  async stop(graceMs = 5_000): Promise<void> {
    // A frozen process would never act on SIGTERM.
    this.thaw();
    const force = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.signal('SIGTERM');
    clearTimeout(force);
  }

  /** SIGSTOP: the process hangs with its sockets open, as a service stuck in a GC pause or a deadlock looks from outside. */
  freeze(): void {
    if (this.running) this.child?.kill('SIGSTOP');
  }

  /** SIGCONT: a frozen process carries on where it stopped. */
  thaw(): void {
    if (this.running) this.child?.kill('SIGCONT');
  }

  /** kill -9: no drain, no goodbye; in-flight requests die with it. */
  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }

  /** Waits until the process has ended by itself (a crash under test). */
  async waitForExit(timeoutMs = 30_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`testing: ${this.app} did not exit within ${timeoutMs} ms`)), timeoutMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  logs(): string {
    return this.output.join('');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }
}
