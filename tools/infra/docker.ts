/**
 * A Docker engine for the compose smoke, `npm run compose` and the container
 * path of the integration tests.
 *
 * Uses the engine that DOCKER_HOST (or the default socket) points at when it
 * answers. Otherwise, as root, it starts one: Debian's dockerd (package
 * docker.io, installed with apt-get when missing), on a private socket so that
 * nothing else on the machine finds it and changes its behaviour (a test run in
 * another checkout switches to testcontainers whenever `docker info` answers),
 * with its images and volumes under /var/lib/shop-docker-<id of this checkout>
 * (outside the checkout, which tools walk) and its log in .local/docker.
 * dockerd picks its storage driver itself:
 * overlay2 where the kernel allows it, vfs (a full copy of every layer) where not;
 * SHOP_DOCKER_STORAGE_DRIVER names one instead (vfs, to measure or to work
 * around an overlay that misbehaves). Whoever started it stops it, by pid.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, spawnSync, SpawnSyncOptions } from 'node:child_process';
import type { Log } from '../lib/workspace';
import { ensurePackages } from './system-packages';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The variables that point the docker CLI at an engine (DOCKER_HOST), empty for the default one. */
export type EngineEnv = Record<string, string>;

export interface Engine {
  env: EngineEnv;
  driver: string;
  pid?: number;
  startedHere: boolean;
}

interface DaemonState {
  pid: number;
  host: string;
}

function paths(rootDir: string) {
  const root = path.resolve(rootDir);
  const dir = path.join(root, '.local', 'docker');
  const id = crypto.createHash('sha256').update(root).digest('hex').slice(0, 8);
  // Unix socket paths are limited to about 100 bytes: the runtime state goes to a short path under /run.
  const execRoot = `/run/shop-docker-${id}`;
  return {
    dir,
    dataRoot: `/var/lib/shop-docker-${id}`,
    execRoot,
    socket: path.join(execRoot, 'docker.sock'),
    pidFile: path.join(execRoot, 'dockerd.pid'),
    logFile: path.join(dir, 'dockerd.log'),
    stateFile: path.join(dir, 'dockerd.json'),
  };
}

/** `docker` with the given engine; stdout, or throws with the last lines of stderr. */
function docker(env: EngineEnv | NodeJS.ProcessEnv, args: readonly string[], options: SpawnSyncOptions = {}): string {
  const r = spawnSync('docker', args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, ...options });
  if (r.error) throw new Error(`docker ${args[0]}: ${r.error.message}`);
  if (r.status !== 0) {
    const tail = `${r.stderr || r.stdout || ''}`.trim().split('\n').slice(-3).join(' | ');
    throw new Error(`docker ${args.join(' ')} failed: ${tail}`);
  }
  return String(r.stdout);
}

/** The engine's storage driver when it answers, or null. */
function engineDriver(env: EngineEnv): string | null {
  if (spawnSync('sh', ['-c', 'command -v docker'], { stdio: 'ignore' }).status !== 0) return null;
  const r = spawnSync('docker', ['info', '--format', '{{.Driver}}'], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 10_000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

function readState(p: { stateFile: string }): DaemonState | null {
  try {
    return JSON.parse(fs.readFileSync(p.stateFile, 'utf8')) as DaemonState;
  } catch {
    return null;
  }
}

function isDockerd(pid: number) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0].endsWith('dockerd');
  } catch {
    return false;
  }
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * An engine to talk to: the one already answering, the private one an earlier
 * run left up (`npm run compose -- up`), or a new private one.
 */
async function ensureDocker({ rootDir, log = console.log }: { rootDir: string; log?: Log }): Promise<Engine> {
  const p = paths(rootDir);
  const ambient = engineDriver({});
  if (ambient) return { env: process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}, driver: ambient, startedHere: false };
  const env = { DOCKER_HOST: `unix://${p.socket}` };
  const state = readState(p);
  const reused = state && isDockerd(state.pid) ? engineDriver(env) : null;
  if (state && reused) {
    log(`docker: using the engine started earlier (pid ${state.pid}, ${env.DOCKER_HOST})`);
    return { env, driver: reused, pid: state.pid, startedHere: false };
  }
  if (!isRoot()) {
    throw new Error('docker: no Docker engine answers, and starting one needs root: start Docker, or set DOCKER_HOST');
  }
  ensurePackages(['docker.io'], log);
  fs.mkdirSync(p.dataRoot, { recursive: true });
  fs.mkdirSync(p.dir, { recursive: true });
  fs.mkdirSync(p.execRoot, { recursive: true });
  const out = fs.openSync(p.logFile, 'a');
  const args = ['--data-root', p.dataRoot, '--exec-root', p.execRoot, '--pidfile', p.pidFile, '--host', env.DOCKER_HOST];
  if (process.env.SHOP_DOCKER_STORAGE_DRIVER) args.push('--storage-driver', process.env.SHOP_DOCKER_STORAGE_DRIVER);
  // Detached: `npm run compose -- up` exits and leaves the stack running.
  const child = spawn('dockerd', args, { detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  child.unref();
  const deadline = Date.now() + 60_000;
  let driver: string | null = null;
  while (!driver) {
    if (child.exitCode !== null || Date.now() > deadline) {
      if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
      const tail = fs.readFileSync(p.logFile, 'utf8').trim().split('\n').slice(-3).join('\n');
      throw new Error(`docker: dockerd did not start (log ${path.relative(rootDir, p.logFile)}):\n${tail}`);
    }
    await sleep(500);
    driver = engineDriver(env);
  }
  fs.writeFileSync(p.stateFile, JSON.stringify({ pid: child.pid, host: env.DOCKER_HOST }));
  log(`docker: started dockerd (pid ${child.pid}, storage driver ${driver}) on ${env.DOCKER_HOST}`);
  return { env, driver, pid: child.pid, startedHere: true };
}

/** Stops a dockerd this tooling started (it stops its containerd with it). */
async function stopDocker({ rootDir, pid, log = console.log }: { rootDir: string; pid?: number; log?: Log }): Promise<boolean> {
  const p = paths(rootDir);
  if (!pid || !isDockerd(pid)) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (isDockerd(pid) && Date.now() < deadline) await sleep(200);
  if (isDockerd(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(p.stateFile, { force: true });
  log(`docker: stopped dockerd (pid ${pid})`);
  return true;
}

/** The dockerd a previous `npm run compose -- up` left running, if any. */
function privateDaemon(rootDir: string): { pid: number; env: EngineEnv } | null {
  const state = readState(paths(rootDir));
  return state && isDockerd(state.pid) ? { pid: state.pid, env: { DOCKER_HOST: state.host } } : null;
}

/**
 * Stops with a clear message when the engine's disk is short: vfs copies every
 * layer in full, so what a build needs depends on the driver.
 */
function checkFreeSpace(env: EngineEnv, driver: string, needGiB: number, log: Log = console.log): void {
  const root = docker(env, ['info', '--format', '{{.DockerRootDir}}']).trim();
  let dir = root;
  while (!fs.existsSync(dir)) dir = path.dirname(dir);
  const stat = fs.statfsSync(dir);
  const freeGiB = (stat.bavail * stat.bsize) / 2 ** 30;
  if (freeGiB < needGiB) {
    throw new Error(`docker: ${freeGiB.toFixed(1)} GiB free under ${root}; building the images with the ${driver} storage driver needs about ${needGiB} GiB`);
  }
  log(`docker: ${freeGiB.toFixed(1)} GiB free under ${root} (${driver}; about ${needGiB} GiB needed)`);
}

export { ensureDocker, stopDocker, privateDaemon, checkFreeSpace, docker, engineDriver };
