import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@shop/testing';

/**
 * The compiled gateway as a real process on a fixed port, so a chaos run can
 * kill it (-9) and start it again where clients expect it.
 */
export class GatewayProcess {
  private child?: ChildProcess;
  private output: string[] = [];

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const entry = join(workspaceRoot(), 'dist', 'apps', 'api-gateway', 'src', 'main.js');
    if (!existsSync(entry)) throw new Error(`chaos: ${entry} is missing; run npm run build`);
    const child = spawn(process.execPath, ['--enable-source-maps', entry], {
      env: { PATH: process.env.PATH ?? '', PORT: String(this.port), LOG_LEVEL: process.env.TEST_APP_LOG_LEVEL ?? 'warn', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`chaos: api-gateway exited with ${child.exitCode}:\n${this.logs()}`);
      try {
        if ((await fetch(`${this.url}/health/ready`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.kill();
    throw new Error(`chaos: api-gateway not ready within 60 s:\n${this.logs()}`);
  }

  /** kill -9: in-flight requests die with it. */
  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }

  /** SIGTERM, then SIGKILL if it has not exited within 5 s: no child may outlive the run. */
  async stop(): Promise<void> {
    const force = setTimeout(() => this.child?.kill('SIGKILL'), 5_000);
    await this.signal('SIGTERM');
    clearTimeout(force);
  }

  logs(): string {
    return this.output.join('');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }
}
