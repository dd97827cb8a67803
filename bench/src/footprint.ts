import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { freePort } from '@shop/testing';

export interface AppProcess {
  app: string;
  pid: number;
}

const APP_ENTRY = /\/dist\/apps\/([a-z-]+)\/src\/main\.js/;

function parentOf(pid: number): number | null {
  try {
    // The command may hold spaces and parentheses: the fields after the last ')' are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** Every app process (dist/apps/<app>/src/main.js) below `root` in the process tree, from /proc. */
export function appProcesses(root = process.pid): AppProcess[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = parentOf(Number(name));
    if (ppid === null) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const found: AppProcess[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift() as number;
    queue.push(...(children.get(pid) ?? []));
    try {
      const match = APP_ENTRY.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
      if (match) found.push({ app: match[1], pid });
    } catch {
      // exited meanwhile
    }
  }
  return found.sort((a, b) => a.app.localeCompare(b.app));
}

/** Resident set size in MB (10^6 bytes) from /proc/<pid>/status, or null once the process is gone. */
export function rssMb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? (Number(match[1]) * 1024) / 1e6 : null;
  } catch {
    return null;
  }
}

/** Samples the apps' RSS every `intervalMs` and keeps each one's maximum. */
export class RssSampler {
  readonly max: Record<string, number> = {};
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly processes: AppProcess[],
    private readonly intervalMs = 250,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  stop(): Record<string, number> {
    clearInterval(this.timer);
    this.sample();
    return this.max;
  }

  private sample(): void {
    for (const { app, pid } of this.processes) {
      const mb = rssMb(pid);
      if (mb !== null && mb > (this.max[app] ?? 0)) this.max[app] = mb;
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Idle RSS: after `settleMs` with no traffic, the median of a few samples over two seconds. */
export async function idleRss(processes: AppProcess[], settleMs: number): Promise<Record<string, number>> {
  await sleep(settleMs);
  const samples: Record<string, number[]> = {};
  for (let i = 0; i < 5; i++) {
    for (const { app, pid } of processes) {
      const mb = rssMb(pid);
      if (mb !== null) (samples[app] ??= []).push(mb);
    }
    await sleep(500);
  }
  return Object.fromEntries(Object.entries(samples).map(([app, v]) => [app, [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]]));
}

/**
 * Baseline: a bare node:http server answering "ok", idle and under 50
 * keep-alive connections, in the same run: what any Node process costs here
 * before a framework, a database pool or a Kafka client is loaded.
 */
export async function bareNodeFootprint(settleMs: number, loadSeconds: number): Promise<{ idle: number; load: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`], { stdio: 'ignore' });
  try {
    const deadline = Date.now() + 10_000;
    while (!(await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline) throw new Error('bench: the bare Node server did not start');
      await sleep(50);
    }
    const proc = [{ app: 'bare', pid: child.pid as number }];
    const idle = (await idleRss(proc, settleMs)).bare;
    const sampler = new RssSampler(proc).start();
    await autocannon({ url: `http://127.0.0.1:${port}/`, connections: 50, duration: loadSeconds });
    return { idle, load: sampler.stop().bare };
  } finally {
    child.kill('SIGKILL');
  }
}
