import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { workspaceRoot } from '@shop/testing';

export interface StartupResult {
  /** Seconds from spawning `npm start` to every app's /health/ready answering 200. */
  readySeconds: number;
  /** What npm start itself printed ("all ready in X s"). */
  reportedSeconds: number | null;
  stopSeconds: number;
  /** npm's exit code, or the signal it ended with (npm re-raises SIGINT). */
  exit: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

/** The fixed ports `npm start` binds (tools/apps.ts) that something else holds now. */
export async function busyPorts(): Promise<number[]> {
  const { APPS } = require(`${workspaceRoot()}/dist/tools/apps.js`) as { APPS: Array<{ port: number }> };
  const busy: number[] = [];
  for (const { port } of APPS) if (!(await portFree(port))) busy.push(port);
  return busy;
}

function alive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * `npm start` as a developer runs it, with dependencies installed: spawned in
 * its own process group, timed until every app's /health/ready answers, then
 * stopped as Ctrl-C does (SIGINT to the group) and awaited until nothing of
 * it is left.
 */
export async function npmStartRound(log: (line: string) => void): Promise<StartupResult> {
  const { APPS } = require(`${workspaceRoot()}/dist/tools/apps.js`) as { APPS: Array<{ name: string; port: number }> };
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: workspaceRoot(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const pgid = child.pid as number;
  const output: string[] = [];
  let reportedSeconds: number | null = null;
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    output.push(text);
    if (output.length > 400) output.shift();
    const match = /all ready in ([\d.]+) s/.exec(text);
    if (match) reportedSeconds = Number(match[1]);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(String(code ?? signal))));
  try {
    const ready = new Set<string>();
    const deadline = performance.now() + 120_000;
    while (ready.size < APPS.length) {
      if (child.exitCode !== null || child.signalCode) throw new Error(`bench: npm start exited (${child.exitCode ?? child.signalCode}):\n${output.join('').slice(-2_000)}`);
      if (performance.now() > deadline) throw new Error(`bench: npm start not ready within 120 s:\n${output.join('').slice(-2_000)}`);
      await Promise.all(
        APPS.filter((a) => !ready.has(a.name)).map(async (a) => {
          const ok = await fetch(`http://127.0.0.1:${a.port}/health/ready`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.status === 200, () => false);
          if (ok) ready.add(a.name);
        }),
      );
      if (ready.size < APPS.length) await sleep(100);
    }
    const readySeconds = (performance.now() - started) / 1000;
    // Let npm start print its own line before stopping it.
    const printed = performance.now() + 5_000;
    while (reportedSeconds === null && performance.now() < printed) await sleep(50);
    const stopping = performance.now();
    process.kill(-pgid, 'SIGINT');
    const exit = await Promise.race([exited, sleep(30_000).then(() => 'timeout')]);
    if (exit === 'timeout') throw new Error('bench: npm start did not stop within 30 s of SIGINT');
    const gone = performance.now() + 10_000;
    while (alive(pgid) && performance.now() < gone) await sleep(100);
    if (alive(pgid)) throw new Error('bench: processes of npm start were still running 10 s after it exited');
    const stopSeconds = (performance.now() - stopping) / 1000;
    const left = await busyPorts();
    if (left.length) throw new Error(`bench: ports ${left.join(', ')} still bound after npm start stopped`);
    log(`npm start: all ready after ${readySeconds.toFixed(1)} s (it reports ${reportedSeconds ?? '?'} s), stopped in ${stopSeconds.toFixed(1)} s (${exit})`);
    return { readySeconds, reportedSeconds, stopSeconds, exit };
  } finally {
    if (alive(pgid)) {
      process.kill(-pgid, 'SIGKILL');
      await sleep(500);
    }
  }
}
