import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const folders = [
  join(root, 'libs', 'platform', 'messaging', 'migrations'),
  ...readdirSync(join(root, 'libs'))
    .map((scope) => join(root, 'libs', scope, 'data-access', 'prisma', 'migrations'))
    .filter((dir) => existsSync(dir)),
];

/** `20261204100000` → its time (UTC), as Prisma Migrate names folders. */
function stamp(name: string): number {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_/.exec(name) ?? [];
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

/**
 * Migrations apply in the order their folders sort. One dated in the future would make a migration written
 * today sort before it, and apply before what it builds on: every folder is named for a time already past.
 */
describe('migration folders', () => {
  it.each(folders.map((dir) => [dir.slice(root.length + 1), dir]))('%s: named <timestamp>_<name>, none dated in the future', (_name, dir) => {
    const names = readdirSync(dir).filter((n) => !n.endsWith('.toml'));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      expect(name).toMatch(/^\d{14}_[a-z0-9_]+$/);
      expect(stamp(name)).toBeLessThanOrEqual(Date.now());
    }
  });
});

/** When git first saw a migration's SQL, following renames (a folder whose date was corrected keeps its history). */
function firstCommitted(file: string): number | undefined {
  const r = spawnSync('git', ['log', '--diff-filter=A', '--follow', '--format=%at', '--', file], { cwd: root, encoding: 'utf8' });
  const times = r.status === 0 ? r.stdout.trim().split('\n').filter(Boolean).map(Number) : [];
  return times.length ? Math.min(...times) * 1000 : undefined;
}

const history = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root, encoding: 'utf8' }).stdout?.trim() === 'true';

/**
 * Folder names are dates, and the order they sort in is the order migrations apply: a migration written after
 * another must sort after it. Measured against when git first saw each one (a migration not committed yet is the
 * newest); without a git history there is nothing to measure against.
 */
(history ? describe : describe.skip)('migration folders in creation order', () => {
  it.each(folders.map((dir) => [dir.slice(root.length + 1), dir]))('%s: sorted by name, they were written in that order', (_name, dir) => {
    const names = readdirSync(dir).filter((n) => !n.endsWith('.toml')).sort();
    const created = names.map((name) => ({ name, at: firstCommitted(join(dir, name, 'migration.sql')) ?? Number.POSITIVE_INFINITY }));
    const outOfOrder = created.filter((m, i) => i > 0 && m.at < created[i - 1].at).map((m) => m.name);
    expect(outOfOrder).toEqual([]);
  });
});
