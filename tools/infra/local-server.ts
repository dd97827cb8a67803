/**
 * A helper server that `npm start` and the tests run beside the apps (the
 * Zipkin trace server, Prometheus): started as a child with its output in a
 * log file, ready once a URL answers 200, stopped by its pid. One that
 * already answers on the port (a previous start's, another checkout's) is
 * reused rather than started twice. Node built-ins only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChildProcess, spawn } from 'node:child_process';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function answers(url: string, timeoutMs = 1_000): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

export interface ServerOptions {
  name: string;
  cmd: string;
  args: string[];
  env?: Record<string, string>;
  cwd: string;
  logFile: string;
  readyUrl: string;
  timeoutMs?: number;
}

export interface RunningServer {
  pid: number | undefined;
  stop(): Promise<void>;
}

async function startServer({ name, cmd, args, env = {}, cwd, logFile, readyUrl, timeoutMs = 90_000 }: ServerOptions): Promise<RunningServer> {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  if (fs.existsSync(logFile)) fs.renameSync(logFile, `${logFile}.1`);
  const fd = fs.openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
  } finally {
    fs.closeSync(fd);
  }
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  child.once('error', (err) => {
    exited = err.message;
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (exited !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(readyUrl))) {
    if (exited !== null || Date.now() > deadline) {
      await stop();
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l.trim()).slice(-3).join('\n');
      const why = exited !== null ? `exited (${exited})` : `did not answer ${readyUrl} within ${timeoutMs / 1000} s`;
      throw new Error(`${name}: ${why}; see ${logFile}${tail ? `\n${tail}` : ''}`);
    }
    await sleep(250);
  }
  return { pid: child.pid, stop };
}

export { answers, startServer };
