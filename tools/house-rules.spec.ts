import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..');
const apps = readdirSync(join(root, 'apps')).filter((app) => existsSync(join(root, 'apps', app, 'src')));

function files(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'generated' ? [] : files(path, keep);
    return keep(entry.name) ? [path] : [];
  });
}

const isSource = (name: string) => /\.tsx?$/.test(name) && !/\.(spec|int-spec|e2e-spec|d)\.tsx?$/.test(name);

/**
 * The rules every service keeps so that a newcomer who has read one knows all of them (docs/architecture.md):
 * each use case is a handler with a unit spec beside it, an event controller only hands its event to one, and
 * the apps see their data through their data-access library's own types, never Prisma's.
 */
describe('house rules', () => {
  it.each(apps)('%s: every handler has a unit spec beside it', (app) => {
    const handlers = files(join(root, 'apps', app, 'src'), (name) => name.endsWith('.handler.ts'));
    const missing = handlers.filter((file) => !existsSync(file.replace(/\.ts$/, '.spec.ts'))).map((file) => relative(root, file));
    expect(missing).toEqual([]);
  });

  it.each(apps)('%s: every event controller hands its event to a handler beside it', (app) => {
    const controllers = files(join(root, 'apps', app, 'src'), (name) => name.endsWith('.event.controller.ts'));
    const alone = controllers.filter((file) => !readdirSync(join(file, '..')).some((name) => name.endsWith('.handler.ts'))).map((file) => relative(root, file));
    expect(alone).toEqual([]);
  });

  it.each(apps)('%s: no Prisma type or client in the app', (app) => {
    const offenders = files(join(root, 'apps', app, 'src'), isSource).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const imports = [...text.matchAll(/^import[^;]*?from\s+['"]([^'"]+)['"]/gms)];
      return imports
        .filter(([statement, from]) => /prisma/i.test(from) || /\b\w*Prisma\w*\b/.test(statement))
        .map(([statement]) => `${relative(root, file)}: ${statement.replace(/\s+/g, ' ')}`);
    });
    expect(offenders).toEqual([]);
  });
});
