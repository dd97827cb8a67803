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
