/**
 * What the JVM-based local servers share (the Kafka broker, the Zipkin trace
 * server): Java 17 and Maven checks with one-line fixes, and a child process
 * run whose failure says what failed with the tail of its output. Node
 * built-ins only, like its callers.
 */
import { spawn, spawnSync, SpawnOptions } from 'node:child_process';

/** One-line error for a missing tool, with the fix, as every caller prints it verbatim. */
function requireTool(cmd: string, args: readonly string[], message: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(message);
  return `${r.stdout || ''}${r.stderr || ''}`;
}

/** `who` prefixes the line, `server` is what needs Java, `instead` what else the user may do. */
function checkJava(who: string, server: string, instead?: string): void {
  const msg = `${who}: Java 17 is required to run the local ${server} (apt-get install openjdk-17-jre-headless)${instead ? `, ${instead}` : ''}`;
  const out = requireTool('java', ['-version'], msg);
  const m = out.match(/version "(\d+)(?:\.(\d+))?/);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : 0;
  if (major && major < 17) throw new Error(`${msg} (found Java ${major})`);
}

function checkMaven(who: string, what: string, instead?: string): void {
  requireTool('mvn', ['-v'], `${who}: Maven is required to fetch ${what} once (apt-get install maven)${instead ? `, ${instead}` : ''}`);
}

/** Runs a command, capturing output; rejects with a one-line message plus a short output tail. */
function run(cmd: string, args: readonly string[], opts: SpawnOptions, what: string, who: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (d: Buffer) => {
      out = (out + d).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', (e) => reject(new Error(`${who}: ${what} failed: ${e.message}`)));
    child.once('close', (code) => {
      if (code === 0) return resolve(out);
      // Strip colour codes and Maven's generic help boilerplate so the real cause is what remains.
      const tail = out
        // eslint-disable-next-line no-control-regex -- the escape that starts a colour code
        .replace(/\x1b\[[0-9;]*m/g, '')
        .split('\n')
        .filter((l) => l.trim() && !/^\[ERROR\]\s*$|Re-run Maven|full stack trace|For more information|\[Help \d+\] http/.test(l))
        .slice(-5)
        .join('\n');
      reject(new Error(`${who}: ${what} failed (exit ${code})\n${tail}`));
    });
  });
}

export { checkJava, checkMaven, run };
