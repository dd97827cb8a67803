/**
 * An app's own deployable output, dist/deploy/<app>: what its image holds and
 * nothing more (the Dockerfile copies this folder and installs from it).
 * - The compiled modules its entry points reach, following every `require`
 *   (and `require.resolve`) of the compiled code from `src/main.js` and each
 *   `src/**\/*.main.js`, plus the migrator's CLI for a service that owns a
 *   schema: so another app's code, the test helpers and a library module no
 *   entry reaches stay out. Source maps come along.
 * - A package.json listing only the packages those modules require, at the
 *   versions the workspace's lock has, and a package-lock.json pruned to them
 *   and what they depend on, so `npm ci` installs exactly the workspace's
 *   versions. A required package the workspace lists only for development, or
 *   not at all, fails the build.
 * - The service's migrations (where the migrator reads them), the
 *   storefront's pages, the image's entrypoint and health check, the service
 *   catalog for the gateway.
 * - VERSION: a content hash of all of the above and the Dockerfile, so an
 *   app's version changes exactly when what it ships changes.
 *   sh tools/run.sh build/app-package <app>
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinModules } from 'node:module';
import { root } from '../lib/workspace';

const BUILTINS = new Set(builtinModules);

/** One package of a package-lock.json (lockfileVersion 2 and 3), as far as the pruning reads it. */
interface LockEntry {
  name?: string;
  version?: string;
  license?: string;
  engines?: Record<string, string>;
  dev?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

interface Lock {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}
/** A require of a literal, as swc writes imports ("...") and leaves the source's own calls ('...'). */
const REQUIRE = /\brequire(?:\.resolve)?\(\s*(["'])([^"']+)\1\s*\)/g;

/** The package a bare specifier names: `@scope/name/deep` → `@scope/name`, `name/deep` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isBuiltin(specifier: string) {
  return specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]);
}

/** Where Node's resolution finds a relative require of compiled code. */
function resolveRelative(fromFile: string, specifier: string) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.js`, `${base}.json`, path.join(base, 'index.js')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${path.relative(root, fromFile)} requires ${specifier}, which the build did not produce`);
}

/** The compiled files reachable from `entries` (absolute paths), and the packages they require. */
function reachable(entries: string[]): { files: string[]; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [...entries];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    if (!file.endsWith('.js')) continue;
    for (const [, , specifier] of fs.readFileSync(file, 'utf8').matchAll(REQUIRE)) {
      if (specifier.startsWith('.')) queue.push(resolveRelative(file, specifier));
      else if (!isBuiltin(specifier)) {
        const name = packageOf(specifier);
        if (!packages.has(name)) packages.set(name, path.relative(root, file));
      }
    }
  }
  return { files: [...files].sort(), packages };
}

/**
 * The lock pruned to `names` (the root's dependencies) and everything they
 * need, found as npm finds it: a package's dependency is looked up in its own
 * node_modules, then its parents'. Optional dependencies come along when the
 * lock has them (npm skips them at install when asked); optional peers do not
 * (they are the devOptional packages: the Prisma CLI, TypeScript).
 */
function pruneLock(lock: Lock, names: string[], rootEntry: LockEntry): Lock {
  const all = lock.packages;
  const kept = new Map<string, LockEntry>();
  const locate = (from: string, name: string) => {
    let dir = from;
    for (;;) {
      const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      if (all[candidate]) return candidate;
      if (!dir) return undefined;
      const parent = dir.lastIndexOf('/node_modules/');
      dir = parent === -1 ? '' : dir.slice(0, parent);
    }
  };
  const visit = (from: string, name: string, optional: boolean) => {
    const at = locate(from, name);
    if (!at) {
      if (optional) return;
      throw new Error(`package-lock.json has no ${name} for ${from || 'the root'}`);
    }
    if (kept.has(at)) return;
    const entry = all[at];
    kept.set(at, entry);
    const optionalPeers = new Set(Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n));
    for (const dep of Object.keys(entry.dependencies ?? {})) visit(at, dep, false);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(at, dep, true);
    for (const dep of Object.keys(entry.peerDependencies ?? {})) if (!optionalPeers.has(dep)) visit(at, dep, false);
  };
  for (const name of names) visit('', name, false);
  const packages: Record<string, LockEntry> = { '': rootEntry };
  for (const [at, found] of [...kept].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    // Development flags describe the whole workspace; here everything is a production dependency.
    const { dev: _dev, devOptional: _devOptional, ...entry } = found;
    packages[at] = entry;
  }
  return { name: rootEntry.name, version: rootEntry.version, lockfileVersion: lock.lockfileVersion, requires: true, packages };
}

/** The app's entry points, compiled: its main, every `*.main.js`, and the migrator for a schema owner. */
function entriesOf(app: string): string[] {
  const src = path.join(root, 'dist', 'apps', app, 'src');
  const main = path.join(src, 'main.js');
  if (!fs.existsSync(main)) throw new Error(`app-package: ${path.relative(root, main)} is missing; compile the app first`);
  const entries = [main];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (e.name.endsWith('.main.js')) entries.push(path.join(dir, e.name));
    }
  };
  walk(src);
  if (ownsSchema(app)) entries.push(path.join(root, 'dist', 'libs', 'platform', 'database', 'src', 'migrate.cli.js'));
  return entries;
}

function ownsSchema(app: string): boolean {
  return fs.existsSync(migrationsOf(app));
}

function migrationsOf(app: string) {
  return path.join(root, 'libs', app, 'data-access', 'prisma', 'migrations');
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));
}

/** The service catalog (the root catalog-info.yaml and each app's), which the gateway serves to operators. */
function catalogFiles() {
  const apps = fs.readdirSync(path.join(root, 'apps')).map((a) => path.join(root, 'apps', a, 'catalog-info.yaml'));
  return [path.join(root, 'catalog-info.yaml'), ...apps.filter((f) => fs.existsSync(f))];
}

/**
 * Writes dist/deploy/<app> and returns what went into it.
 */
function packageApp(app: string): { out: string; version: string; files: string[]; dependencies: Record<string, string> } {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    version: string;
    license?: string;
    engines?: Record<string, string>;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Lock;
  const { files, packages } = reachable(entriesOf(app));
  const dependencies: Record<string, string> = {};
  for (const [name, requiredBy] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
    if (!pkg.dependencies?.[name]) {
      const where = pkg.devDependencies?.[name] ? 'lists only for development' : 'does not list';
      throw new Error(`app-package: ${requiredBy} requires ${name}, which package.json ${where}`);
    }
    dependencies[name] = lock.packages[`node_modules/${name}`]?.version ?? '';
  }
  const shipped = [
    ...files.flatMap((f) => (fs.existsSync(`${f}.map`) ? [f, `${f}.map`] : [f])),
    ...(ownsSchema(app) ? filesUnder(migrationsOf(app)) : []),
    ...filesUnder(path.join(root, 'dist', 'apps', app, 'public')),
    ...filesUnder(path.join(root, 'deploy', 'docker')),
    ...(app === 'api-gateway' ? catalogFiles() : []),
  ].sort();
  const out = path.join(root, 'dist', 'deploy', app);
  fs.rmSync(out, { recursive: true, force: true });
  for (const file of shipped) {
    const target = path.join(out, path.relative(root, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
  }
  const manifest = { name: `shop-${app}`, version: pkg.version, private: true, license: pkg.license, engines: pkg.engines, dependencies };
  const rootEntry = { name: manifest.name, version: manifest.version, license: manifest.license, dependencies, engines: manifest.engines };
  fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.writeFileSync(path.join(out, 'package-lock.json'), `${JSON.stringify(pruneLock(lock, Object.keys(dependencies), rootEntry), null, 2)}\n`);
  const version = contentVersion(out, fs.readFileSync(path.join(root, 'Dockerfile')));
  fs.writeFileSync(path.join(out, 'VERSION'), `${version}\n`);
  return { out, version, files: shipped.map((f) => path.relative(root, f)), dependencies };
}

/** 12 hex digits of a SHA-256 over every file of `dir` (path and content, in path order) and `extra`. */
function contentVersion(dir: string, extra: crypto.BinaryLike): string {
  const hash = crypto.createHash('sha256');
  for (const file of filesUnder(dir).sort()) {
    if (path.basename(file) === 'VERSION' && path.dirname(file) === dir) continue;
    hash.update(`${path.relative(dir, file)}\0`).update(fs.readFileSync(file)).update('\0');
  }
  hash.update(extra);
  return hash.digest('hex').slice(0, 12);
}

export { packageApp, pruneLock, reachable, packageOf, contentVersion };

if (require.main === module) {
  try {
    const { out, version, dependencies } = packageApp(process.argv[2] ?? '');
    process.stdout.write(`${path.relative(root, out)}: version ${version}, ${Object.keys(dependencies).length} packages\n`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}
