import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@shop/testing';
import { WatchRestart } from './serve';

/** The watch loop of `nx serve <app>`, on a folder of its own, with a build and a process that only record what happens. */
describe('nx serve: rebuild and restart on a change', () => {
  let dir: string;
  let builds: number;
  let buildOk: boolean;
  let started: number;
  let stopped: number[];
  let lines: string[];
  let watcher: WatchRestart<{ id: number }>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serve-spec-'));
    mkdirSync(join(dir, 'src', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'src', 'deep', 'order.entity.ts'), 'export const a = 1;\n');
    builds = 0;
    buildOk = true;
    started = 0;
    stopped = [];
    lines = [];
    watcher = new WatchRestart({
      dirs: [dir],
      build: async () => {
        builds++;
        return buildOk;
      },
      start: async () => ({ id: ++started }),
      stop: async (child) => {
        stopped.push(child.id);
      },
      log: (line) => lines.push(line),
      settleMs: 50,
    });
    await watcher.begin();
  });

  afterEach(async () => {
    await watcher.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rebuilds once for a burst of writes and restarts the app on the new build', async () => {
    expect(started).toBe(1);
    for (let i = 0; i < 3; i++) writeFileSync(join(dir, 'src', 'deep', 'order.entity.ts'), `export const a = ${i + 2};\n`);
    await eventually(() => expect(watcher.restarts).toBe(1), 10_000);
    expect([builds, stopped, watcher.child]).toEqual([1, [1], { id: 2 }]);
  });

  it('keeps the running process when the build fails, and restarts once a later change builds', async () => {
    buildOk = false;
    writeFileSync(join(dir, 'src', 'deep', 'order.entity.ts'), 'export const a = ;\n');
    await eventually(() => expect(builds).toBe(1), 10_000);
    expect([stopped, watcher.child]).toEqual([[], { id: 1 }]);
    buildOk = true;
    writeFileSync(join(dir, 'src', 'deep', 'order.entity.ts'), 'export const a = 3;\n');
    await eventually(() => expect(watcher.restarts).toBe(1), 10_000);
    expect(watcher.child).toEqual({ id: 2 });
  });

  it('ignores tests and generated code, which do not change what runs', async () => {
    writeFileSync(join(dir, 'src', 'deep', 'order.entity.spec.ts'), 'it("x", () => undefined);\n');
    mkdirSync(join(dir, 'src', 'generated'));
    writeFileSync(join(dir, 'src', 'generated', 'client.ts'), 'export {};\n');
    // A change that counts, after them: the rebuild names what changed.
    writeFileSync(join(dir, 'src', 'deep', 'order.entity.ts'), 'export const a = 4;\n');
    await eventually(() => expect(watcher.restarts).toBe(1), 10_000);
    expect(builds).toBe(1);
    expect(lines.filter((l) => l.startsWith('changed: '))).toEqual([expect.stringMatching(/^changed: \S*src\/deep\/order\.entity\.ts; rebuilding$/)]);
  });
});
