/**
 * What everything that runs containers here does first and last: find or
 * start an engine (docker.ts), check its disk, make the third-party images
 * exist (standins.ts); then remove the images it built and stop the engine it
 * started. Used by `npm test`, `npm run compose`, the compose smoke's and the
 * integration tests' global setups; whoever prepared first releases, the others
 * find everything in place and leave it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkFreeSpace, docker, Engine, engineDriver, ensureDocker, stopDocker } from './docker';
import type { Log } from '../lib/workspace';
import { ensureImages } from './standins';

/**
 * Disk the images, the build's stages and the stack's volumes take at their
 * peak, with room: the compose smoke with its stand-ins measured 3.1 GB with
 * overlay2 and 24.6 GB with vfs, where every layer is a full copy of all the
 * layers below it (README, "docker compose").
 */
const NEED_GIB: Record<string, number> = { overlay2: 8, vfs: 30 };

/** An engine ready for the run, and the images built for it (removed by releaseContainers). */
export interface PreparedEngine extends Engine {
  built: string[];
}

async function prepareContainers({ rootDir, images, log = console.log }: { rootDir: string; images: readonly string[]; log?: Log }): Promise<PreparedEngine> {
  const engine = await ensureDocker({ rootDir, log });
  try {
    checkFreeSpace(engine.env, engine.driver, NEED_GIB[engine.driver] ?? NEED_GIB.vfs, log);
    const built = await ensureImages(images, { rootDir, env: engine.env, log });
    return { ...engine, built };
  } catch (err) {
    if (engine.startedHere) await stopDocker({ rootDir, pid: engine.pid, log });
    throw err;
  }
}

/** Removes what prepareContainers built and stops the engine it started (with everything left in it). */
async function releaseContainers({ rootDir, engine, log = console.log }: { rootDir: string; engine: PreparedEngine; log?: Log }): Promise<void> {
  // The latest first: a stand-in's base goes after the images built on it.
  for (const image of [...engine.built].reverse()) docker(engine.env, ['image', 'rm', image]);
  if (engine.built.length) log(`containers: removed ${engine.built.join(', ')}`);
  if (engine.startedHere) {
    // This run's own engine: nothing in it belongs to anyone else, so the build's leftover layers go too.
    docker(engine.env, ['image', 'prune', '--force']);
    await stopDocker({ rootDir, pid: engine.pid, log });
  }
}

/** testcontainers' own minimum Node version (its package.json `engines`), as [major, minor]. */
function testcontainersMinimumNode(rootDir: string): [number, number] {
  const pkg = JSON.parse(fs.readFileSync(path.join(rootDir, 'node_modules', 'testcontainers', 'package.json'), 'utf8')) as { engines?: { node?: string } };
  const m = /(\d+)\.(\d+)/.exec(pkg.engines?.node ?? '0.0');
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

function nodeAtLeast([major, minor]: readonly [number, number], version = process.versions.node): boolean {
  const [a, b] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/**
 * Where the integration and end-to-end tests get Postgres and Kafka:
 * SHOP_TEST_INFRA=local or =containers when set; otherwise testcontainers when
 * an engine answers and this Node can run testcontainers, else the local
 * servers. Decided once by `npm test` for its whole run, so that an engine
 * started midway (the compose smoke's) changes nothing after it.
 */
function testInfra(rootDir: string): { mode: 'local' | 'containers'; why: string } {
  const asked = process.env.SHOP_TEST_INFRA;
  const minimum = testcontainersMinimumNode(rootDir);
  const nodeOk = nodeAtLeast(minimum);
  const tooOld = `testcontainers needs Node ${minimum.join('.')} or later, this is ${process.versions.node}`;
  if (asked === 'local') return { mode: 'local', why: 'SHOP_TEST_INFRA=local' };
  if (asked === 'containers') {
    if (!nodeOk) throw new Error(`SHOP_TEST_INFRA=containers: ${tooOld}`);
    return { mode: 'containers', why: 'SHOP_TEST_INFRA=containers' };
  }
  if (asked) throw new Error(`SHOP_TEST_INFRA=${asked}: expected local or containers`);
  if (!engineDriver({})) return { mode: 'local', why: 'no Docker engine answers' };
  if (!nodeOk) return { mode: 'local', why: `a Docker engine answers, but ${tooOld}` };
  return { mode: 'containers', why: 'a Docker engine answers' };
}

export { prepareContainers, releaseContainers, testInfra, testcontainersMinimumNode, nodeAtLeast };
