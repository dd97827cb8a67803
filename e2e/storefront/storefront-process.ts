import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, workspaceRoot } from '@shop/testing';

/** The compiled storefront server as a real process: the built pages, and /api proxied to a gateway. */
export class StorefrontProcess {
  private readonly output: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static async start(gatewayUrl: string): Promise<StorefrontProcess> {
    const entry = join(workspaceRoot(), 'dist', 'apps', 'storefront', 'src', 'main.js');
    for (const file of [entry, join(workspaceRoot(), 'dist', 'apps', 'storefront', 'public', 'index.html')]) {
      if (!existsSync(file)) throw new Error(`${file} is missing; run npm run build (npm test does)`);
    }
    const port = await freePort();
    const child = spawn(process.execPath, ['--enable-source-maps', entry], {
      env: { PATH: process.env.PATH ?? '', PORT: String(port), GATEWAY_URL: gatewayUrl, LOG_LEVEL: process.env.TEST_APP_LOG_LEVEL ?? 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const storefront = new StorefrontProcess(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`storefront exited with ${child.exitCode}:\n${storefront.logs()}`);
      try {
        if ((await fetch(`${storefront.url}/health/ready`)).status === 200) return storefront;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await storefront.stop();
    throw new Error(`storefront not ready within 30 s:\n${storefront.logs()}`);
  }

  logs(): string {
    return this.output.join('');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(kill);
  }
}
