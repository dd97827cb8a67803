/**
 * One image per app, from the Dockerfile: `localhost/shop/<app>`, tagged with
 * the app's version (the content hash of what it ships, /app/VERSION in the
 * image, tools/build/app-package.ts) and with `dev`, the tag compose and the
 * Kubernetes base name when nothing else is said. The engine builds the
 * Dockerfile's build stage (every app's output) once and reuses it for each
 * app's image. Used by `npm run compose -- up` and scripts/kind-up.sh.
 *   sh tools/run.sh infra/images build [app...]     prints `<app> <image> <version> <MB>` per app
 * Only Node's built-ins at run time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { docker, EngineEnv } from './docker';
import { Log, root } from '../lib/workspace';

const REPOSITORY = 'localhost/shop';

/** The apps: every folder of apps/ that is an Nx project. */
function appNames(rootDir: string): string[] {
  return fs
    .readdirSync(path.join(rootDir, 'apps'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(rootDir, 'apps', d.name, 'project.json')))
    .map((d) => d.name)
    .sort();
}

/** `SHOP_API_GATEWAY_VERSION` for api-gateway: the variable docker-compose.yml tags the app's image with. */
function versionVariable(app: string) {
  return `SHOP_${app.toUpperCase().replace(/-/g, '_')}_VERSION`;
}

/**
 * Builds each app's image (the classic builder, which Debian's engine has), tags it with its version, and
 * returns what it built: the versioned name, the version and the size the engine reports.
 */
function buildImages({
  rootDir,
  env = {},
  apps = appNames(rootDir),
  log = () => undefined,
}: {
  rootDir: string;
  env?: EngineEnv;
  apps?: string[];
  log?: Log;
}): Array<{ app: string; image: string; version: string; bytes: number }> {
  const logFile = path.join(rootDir, '.local', 'images-build.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, '');
  return apps.map((app) => {
    const dev = `${REPOSITORY}/${app}:dev`;
    const started = Date.now();
    const r = spawnSync('docker', ['build', '--build-arg', `APP=${app}`, '-t', dev, '.'], {
      cwd: rootDir,
      encoding: 'utf8',
      env: { ...process.env, DOCKER_BUILDKIT: '0', ...env },
      maxBuffer: 256 * 1024 * 1024,
    });
    fs.appendFileSync(logFile, `$ docker build --build-arg APP=${app} -t ${dev} .\n${r.stdout ?? ''}${r.stderr ?? ''}\n`);
    if (r.status !== 0) {
      const tail = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(-10).join('\n');
      throw new Error(`images: ${app} failed to build (log ${path.relative(rootDir, logFile)}):\n${tail}`);
    }
    const version = docker(env, ['run', '--rm', '--network', 'none', '--entrypoint', 'cat', dev, 'VERSION']).trim();
    if (!/^[0-9a-f]{12}$/.test(version)) throw new Error(`images: ${dev} has no version (VERSION: ${version})`);
    const image = `${REPOSITORY}/${app}:${version}`;
    docker(env, ['tag', dev, image]);
    const bytes = Number(docker(env, ['image', 'inspect', '--format', '{{.Size}}', image]).trim());
    log(`images: ${image} built in ${((Date.now() - started) / 1000).toFixed(0)} s, ${(bytes / 1e6).toFixed(0)} MB`);
    return { app, image, version, bytes };
  });
}

export { REPOSITORY, appNames, versionVariable, buildImages };

if (require.main === module) {
  const [command, ...apps] = process.argv.slice(2);
  if (command !== 'build') {
    process.stderr.write('usage: sh tools/run.sh infra/images build [app...]\n');
    process.exit(2);
  }
  try {
    const built = buildImages({ rootDir: root, apps: apps.length ? apps : undefined, log: (line) => process.stderr.write(`${line}\n`) });
    for (const b of built) process.stdout.write(`${b.app} ${b.image} ${b.version} ${(b.bytes / 1e6).toFixed(0)}\n`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}
