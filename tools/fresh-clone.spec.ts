import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The entry points a newcomer runs first (`npm start`, `npm test`, `npm run
 * compose`) on a fresh clone, which has no node_modules: each goes through
 * tools/run.sh, which installs the dependencies before anything needs them,
 * compiles the tools, and only then starts Node. Here run.sh works in a folder
 * of its own whose `npm` and swc only record that they ran (npm ci makes the
 * install marker and swc, swc writes a tool that says it ran).
 */
const root = resolve(__dirname, '..');

const FAKE_NPM = `#!/bin/sh
echo "npm $*" >> "$RECORD"
if [ "$1" = ci ]; then
  mkdir -p node_modules/.bin
  echo '{}' > node_modules/.package-lock.json
  cat > node_modules/.bin/swc <<'SWC'
#!/bin/sh
echo "swc $*" >> "$RECORD"
mkdir -p dist/tools
echo 'console.log("tool ran: " + process.argv.slice(2).join(" "))' > dist/tools/start.js
SWC
  chmod +x node_modules/.bin/swc
fi
`;

describe('a fresh clone', () => {
  let dir: string;
  let record: string;
  let bin: string;

  const runSh = (...args: string[]) => {
    writeFileSync(record, '');
    const r = spawnSync('sh', ['tools/run.sh', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, RECORD: record } });
    const ran = readFileSync(record, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ').slice(0, 2).join(' '));
    return { status: r.status, out: r.stdout, err: r.stderr, ran };
  };
  /** Sets a file's modification time `secondsAgo` in the past: what run.sh compares. */
  const age = (file: string, secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(join(dir, file), t, t);
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fresh-clone-spec-'));
    record = join(dir, 'record.txt');
    bin = join(dir, 'bin');
    mkdirSync(join(dir, 'tools'), { recursive: true });
    mkdirSync(bin);
    for (const file of ['tools/run.sh', 'package.json', 'package-lock.json', '.swcrc']) copyFileSync(join(root, file), join(dir, file));
    writeFileSync(join(dir, 'tools', 'start.ts'), '');
    writeFileSync(join(bin, 'npm'), FAKE_NPM);
    chmodSync(join(bin, 'npm'), 0o755);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('npm start, npm test and npm run compose go through tools/run.sh', () => {
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect([scripts.start, scripts.test, scripts.compose]).toEqual(['sh tools/run.sh start', 'sh tools/run.sh test', 'sh tools/run.sh compose']);
  });

  it('installs the dependencies, then compiles the tools, then runs the tool', () => {
    const first = runSh('start', '--lean');
    expect(first).toMatchObject({ status: 0, out: 'tool ran: --lean\n', ran: ['npm ci', 'swc tools'] });
    expect(first.err).toContain('installing dependencies (npm ci)');
    expect(existsSync(join(dir, 'dist', 'tools', '.compiled'))).toBe(true);
  });

  it('installs again only when package-lock.json is newer than the install, and compiles again only when a tool changed', () => {
    age('package-lock.json', 300);
    age('node_modules/.package-lock.json', 200);
    age('tools/start.ts', 100);
    age('.swcrc', 100);
    age('dist/tools/.compiled', 50);
    expect(runSh('start')).toMatchObject({ status: 0, out: 'tool ran: \n', ran: [] });

    age('tools/start.ts', 10);
    expect(runSh('start')).toMatchObject({ status: 0, ran: ['swc tools'] });

    age('package-lock.json', 5);
    expect(runSh('--compile')).toMatchObject({ status: 0, out: '', ran: ['npm ci'] });
  });
});
