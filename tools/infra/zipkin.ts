/**
 * Zipkin, the trace server `npm start` runs beside the apps: its UI at
 * http://127.0.0.1:9411/zipkin/ and its collector at /api/v2/spans, where the
 * apps' OpenTelemetry exporter sends spans. The server is one executable jar
 * on Maven Central (io.zipkin:zipkin-server, classifier exec), fetched once
 * into .local/cache the way the Kafka broker's jars are, and run with Java 17,
 * bound to 127.0.0.1, spans kept in memory (bounded: a restart forgets them).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jvm from './jvm';
import { answers, startServer } from './local-server';
import type { Log } from '../lib/workspace';

const ZIPKIN_VERSION = '3.6.1';
const HOST = '127.0.0.1';
const INSTEAD = 'or run npm start -- --lean (no trace server)';

function jarPath(rootDir: string) {
  return path.join(rootDir, '.local', 'cache', `zipkin-${ZIPKIN_VERSION}`, `zipkin-server-${ZIPKIN_VERSION}-exec.jar`);
}

/** The server's jar, fetched from Maven Central on the first call. */
async function fetchZipkinJar({ rootDir, log = console.log }: { rootDir: string; log?: Log }): Promise<string> {
  const jar = jarPath(rootDir);
  const marker = `${jar}.complete`;
  if (fs.existsSync(marker) && fs.existsSync(jar)) return jar;
  jvm.checkMaven('zipkin', 'the Zipkin server jar', INSTEAD);
  log(`zipkin: fetching zipkin-server ${ZIPKIN_VERSION} from Maven Central into ${path.relative(rootDir, path.dirname(jar))} (first run only)`);
  fs.mkdirSync(path.dirname(jar), { recursive: true });
  await jvm.run(
    'mvn',
    ['-q', '-B', '-Dstyle.color=never', 'dependency:copy', `-Dartifact=io.zipkin:zipkin-server:${ZIPKIN_VERSION}:jar:exec`, `-DoutputDirectory=${path.dirname(jar)}`],
    { cwd: path.dirname(jar) },
    'mvn dependency:copy',
    'zipkin',
  );
  if (!fs.existsSync(jar)) throw new Error(`zipkin: Maven finished but ${jar} is missing`);
  fs.writeFileSync(marker, '');
  return jar;
}

/** The command line that runs the jar: on `port`, on loopback only, at most `maxSpans` spans in memory. */
function zipkinCommand(jar: string, { port, host = HOST, maxSpans = 50_000 }: { port: number; host?: string; maxSpans?: number }) {
  return {
    cmd: 'java',
    // A small heap and the serial collector: a demo's traces, beside seven Node processes on two cores.
    args: [
      '-Xms64m', '-Xmx256m', '-XX:+UseSerialGC', '-Djava.awt.headless=true',
      '-jar', jar,
      `--armeria.ports[0].port=${port}`, `--armeria.ports[0].ip=${host}`, '--armeria.ports[0].protocols[0]=http',
    ],
    // QUERY_TIMEOUT bounds every answer, the UI's files too: the first gzip of its 2.5 MB bundle by a cold JVM on a
    // busy machine took longer than the default 11 s and reached the browser cut short.
    env: { STORAGE_TYPE: 'mem', MEM_MAX_SPANS: String(maxSpans), SELF_TRACING_ENABLED: 'false', QUERY_TIMEOUT: '60s' },
  };
}

/**
 * A trace server on 127.0.0.1:`port`: the one that already answers there, or
 * one started here (`stop` is then set). Its log is .local/zipkin/zipkin.log
 * unless `logFile` says otherwise.
 */
async function ensureZipkin({
  rootDir,
  port = 9411,
  logFile = path.join(rootDir, '.local', 'zipkin', 'zipkin.log'),
  log = console.log,
}: {
  rootDir: string;
  port?: number;
  logFile?: string;
  log?: Log;
}): Promise<{ url: string; spansEndpoint: string; stop?: () => Promise<void> }> {
  const url = `http://${HOST}:${port}`;
  const found = { url, spansEndpoint: `${url}/api/v2/spans` };
  if (await answers(`${url}/health`)) {
    log(`zipkin: reusing the trace server at ${url}`);
    return found;
  }
  jvm.checkJava('zipkin', 'trace server', INSTEAD);
  const jar = await fetchZipkinJar({ rootDir, log });
  const { cmd, args, env } = zipkinCommand(jar, { port });
  const server = await startServer({ name: 'zipkin', cmd, args, env, cwd: rootDir, logFile, readyUrl: `${url}/health` });
  log(`zipkin: started (pid ${server.pid}) on ${url}, log in ${path.relative(rootDir, logFile)}`);
  return { ...found, stop: server.stop };
}

export { ensureZipkin, fetchZipkinJar, zipkinCommand, ZIPKIN_VERSION };
