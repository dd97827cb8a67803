
/**
 * Local Kafka for development, tests and CI — without Docker.
 *
 * Why this exists: `npm start`, Jest's globalSetup and CI all need a broker,
 * and not every machine has a Docker engine. Apache Kafka's broker is
 * published on Maven Central, so with only Java 17 and Maven we can fetch its
 * jars once into `.local/cache/` and run a single KRaft node (broker and
 * controller in one JVM) bound to 127.0.0.1.
 *
 * Used by: the `npm start` orchestrator, Jest globalSetup/globalTeardown, CI,
 * and the CLI: `sh tools/run.sh infra/kafka up|down|status`.
 *
 * Node built-ins only, on purpose: it must run before `npm install` has
 * finished and inside Jest's globalSetup without pulling a Kafka client in.
 */

import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as jvm from './jvm';
import { Log, root as workspaceRoot } from '../lib/workspace';

/**
 * Pinned broker version. 4.1.x is the line this repo is tested against; the
 * override exists so a version bump can be tried without editing this file.
 */
const KAFKA_VERSION = process.env.KAFKA_VERSION || '4.1.2';
/** Kafka 4.x logs through SLF4J 1.7 and ships log4j2; the Maven artifact leaves the backend to us. */
const LOG4J_VERSION = '2.24.3';
const SCALA_BINARY = '2.13';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
const HOST = '127.0.0.1';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * All paths in one place so the three callers agree on where state lives. A
 * stateDir gives a private broker (the chaos runs') its own data and pid
 * file; the jar cache is shared either way.
 */
type KafkaPaths = ReturnType<typeof paths>;

function paths(rootDir: string | undefined, stateDir?: string) {
  const root = path.resolve(rootDir || process.cwd());
  const dir = stateDir ? path.resolve(stateDir) : path.join(root, '.local', 'kafka');
  const cacheDir = path.join(root, '.local', 'cache', `kafka-${KAFKA_VERSION}`);
  return {
    root,
    dir,
    pidFile: path.join(dir, 'kafka.pid'),
    stateFile: path.join(dir, 'kafka.state.json'),
    lockFile: path.join(dir, 'start.lock'),
    logFile: path.join(dir, 'kafka.log'),
    dataDir: path.join(dir, 'data'),
    clusterIdFile: path.join(dir, 'cluster.id'),
    serverProps: path.join(dir, 'server.properties'),
    log4jProps: path.join(dir, 'log4j2.properties'),
    cacheDir,
    libsDir: path.join(cacheDir, 'libs'),
    pom: path.join(cacheDir, 'pom.xml'),
    marker: path.join(cacheDir, '.complete'),
  };
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function envPort(name: string, def: number) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new Error(`kafka: ${name}=${raw} is not a valid TCP port`);
  }
  return n;
}

/** Resolves true if something accepts a TCP connection; used for cheap liveness and port-conflict checks. */
function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/**
 * Minimal Kafka-protocol health check: ApiVersions v0 over a raw socket.
 * An open port only proves a listener; a well-formed ApiVersions answer
 * proves the broker is actually processing requests.
 * Resolves the number of APIs advertised, or 0 if the answer was not Kafka.
 */
function apiVersions(host: string, port: number, timeoutMs = 2000): Promise<number> {
  return new Promise((resolve) => {
    const clientId = Buffer.from('kafka-js-healthcheck');
    const correlationId = crypto.randomInt(1, 0x7fffffff);
    // Request header v1: api_key INT16, api_version INT16, correlation_id INT32, client_id STRING; v0 body is empty.
    const req = Buffer.alloc(4 + 2 + 2 + 4 + 2 + clientId.length);
    req.writeInt32BE(req.length - 4, 0);
    req.writeInt16BE(18, 4); // ApiVersions
    req.writeInt16BE(0, 6);
    req.writeInt32BE(correlationId, 8);
    req.writeInt16BE(clientId.length, 12);
    clientId.copy(req, 14);

    let buf = Buffer.alloc(0);
    const sock = net.connect({ host, port });
    const done = (n: number) => {
      sock.destroy();
      resolve(n);
    };
    sock.setTimeout(timeoutMs, () => done(0));
    sock.once('error', () => done(0));
    sock.once('close', () => done(0));
    sock.once('connect', () => sock.write(req));
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 4 || buf.length < 4 + buf.readInt32BE(0)) return;
      // Response: size, correlation_id, error_code INT16, [api_key, min, max] with INT32 count.
      if (buf.length < 14 || buf.readInt32BE(4) !== correlationId) return done(0);
      const errorCode = buf.readInt16BE(8);
      const count = buf.readInt32BE(10);
      // 0 = OK; 35 = UNSUPPORTED_VERSION still proves a Kafka broker answered.
      done((errorCode === 0 || errorCode === 35) && count > 0 ? count : 0);
    });
  });
}

/** Parses 'host:port,host:port' (tolerating a PLAINTEXT:// prefix). */
function parseBrokers(list: string) {
  return String(list)
    .split(',')
    .map((s) => s.trim().replace(/^[a-z_]+:\/\//i, ''))
    .filter(Boolean)
    .map((s) => {
      const i = s.lastIndexOf(':');
      return { host: s.slice(0, i).replace(/^\[|\]$/g, '') || HOST, port: Number(s.slice(i + 1)) || 9092 };
    });
}

/**
 * True if pid is alive AND is a Kafka JVM. The command-line check guards
 * against a stale pid file whose pid the OS has since given to another process.
 */
function isOurBroker(pid: number) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  let cmd = readText(`/proc/${pid}/cmdline`);
  if (cmd === null && process.platform !== 'linux') {
    const r = spawnSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
    cmd = r.status === 0 ? r.stdout : null;
  }
  if (cmd === null) return process.platform !== 'linux'; // no way to tell: trust kill(0)
  return cmd.includes('kafka.Kafka'); // zombies have an empty cmdline and count as dead
}

function readPid(p: KafkaPaths) {
  const n = parseInt(readText(p.pidFile) || '', 10);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** What a broker this tool started wrote down about itself. */
interface BrokerState {
  pid?: number;
  port?: number;
  controllerPort?: number;
  startedAt?: string;
}

function readState(p: KafkaPaths): BrokerState | null {
  try {
    return JSON.parse(readText(p.stateFile) || 'null') as BrokerState | null;
  } catch {
    return null;
  }
}

function clearPid(p: KafkaPaths) {
  for (const f of [p.pidFile, p.stateFile]) fs.rmSync(f, { force: true });
}

/** Last n non-empty lines of the broker log, for error messages. */
function logTail(p: KafkaPaths, n = 5) {
  const text = readText(p.logFile) || '';
  return text.split('\n').filter((l) => l.trim()).slice(-n).join('\n');
}

/** The running broker started by this tool, or null (clears a stale pid file). */
function runningBroker(p: KafkaPaths) {
  const pid = readPid(p);
  if (!pid) return null;
  if (!isOurBroker(pid)) {
    clearPid(p);
    return null;
  }
  const state = readState(p) || {};
  return { pid, port: state.port || envPort('KAFKA_PORT', 9092) };
}

const INSTEAD = 'or set KAFKA_BROKERS, or use docker compose up';
const checkJava = () => jvm.checkJava('kafka', 'broker', INSTEAD);
const checkMaven = () => jvm.checkMaven('kafka', 'the Kafka broker jars', INSTEAD);
const run = (cmd: string, args: string[], opts: { cwd: string }, what: string) => jvm.run(cmd, args, opts, what, 'kafka');

/**
 * A throwaway POM whose only job is to let `dependency:copy-dependencies`
 * resolve the broker and its runtime classpath from Maven Central. log4j-core
 * plus the SLF4J 1.x binding are added because the kafka_2.13 artifact leaves
 * the logging backend out (the tarball ships it), and without one the broker
 * would log nothing. Its text, the comment naming this file as it was first
 * called included, keys the jar cache (ensureJars): left as it is, so the
 * jars every checkout fetched stay valid.
 */
function pomXml(): string {
  const dep = (g: string, a: string, v: string) => `    <dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by tools/infra/kafka.js: fetches the Kafka broker classpath. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.dev</groupId>
  <artifactId>kafka-broker-libs</artifactId>
  <version>${KAFKA_VERSION}</version>
  <packaging>pom</packaging>
  <dependencies>
${dep('org.apache.kafka', `kafka_${SCALA_BINARY}`, KAFKA_VERSION)}
${dep('org.apache.logging.log4j', 'log4j-core', LOG4J_VERSION)}
${dep('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J_VERSION)}
  </dependencies>
</project>
`;
}

/**
 * Fetches the broker jars once per version. The marker holds a hash of the
 * POM so changing the coordinates re-fetches, and a half-finished download
 * (interrupted run) is never mistaken for a complete cache.
 */
async function ensureJars(p: KafkaPaths, log: Log) {
  const pom = pomXml();
  const hash = crypto.createHash('sha256').update(pom).digest('hex');
  if (readText(p.marker) === hash && fs.existsSync(p.libsDir)) return false;
  checkMaven();
  log(`kafka: fetching Kafka ${KAFKA_VERSION} jars from Maven Central into ${path.relative(p.root, p.libsDir)} (first run only)`);
  fs.rmSync(p.libsDir, { recursive: true, force: true });
  fs.mkdirSync(p.cacheDir, { recursive: true });
  fs.writeFileSync(p.pom, pom);
  await run(
    'mvn',
    ['-q', '-B', '-Dstyle.color=never', 'dependency:copy-dependencies', '-DoutputDirectory=libs', '-DincludeScope=runtime'],
    { cwd: p.cacheDir },
    'mvn dependency:copy-dependencies',
  );
  if (!fs.existsSync(path.join(p.libsDir, `kafka_${SCALA_BINARY}-${KAFKA_VERSION}.jar`))) {
    throw new Error(`kafka: Maven finished but kafka_${SCALA_BINARY}-${KAFKA_VERSION}.jar is missing from ${p.libsDir}`);
  }
  fs.writeFileSync(p.marker, hash);
  return true;
}

/**
 * Single-node dev/test settings: every replication factor and ISR is 1
 * (defaults of 3 would leave internal topics unavailable), topics auto-create
 * with 3 partitions so consumer-group code sees more than one partition, and
 * the group rebalance delay is 0 so tests do not wait 3 s per consumer group.
 * Static `controller.quorum.voters` is used (not the dynamic quorum) so the
 * controller port can change between runs without re-formatting.
 */
function serverProperties(p: KafkaPaths, port: number, cport: number): string {
  const slash = (s: string) => s.split(path.sep).join('/');
  return [
    '# Generated by tools/infra/kafka.ts on every start; edit the script, not this file.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${HOST}:${cport}`,
    `listeners=PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${cport}`,
    `advertised.listeners=PLAINTEXT://${HOST}:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${slash(p.dataDir)}`,
    'num.partitions=3',
    'auto.create.topics.enable=true',
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'min.insync.replicas=1',
    'default.replication.factor=1',
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=24',
    '',
  ].join('\n');
}

/** log4j2 config: everything to stdout, which the spawn redirects into kafka.log. */
const LOG4J2_PROPERTIES = `status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.config.name = org.apache.kafka.common.config.AbstractConfig
logger.config.level = WARN
`;

function classpath(p: KafkaPaths) {
  return path.join(p.libsDir, '*');
}

function jvmArgs(p: KafkaPaths) {
  const heap = (process.env.KAFKA_HEAP_OPTS || '-Xms256m -Xmx512m').split(/\s+/).filter(Boolean);
  return [...heap, '-Djava.awt.headless=true', `-Dlog4j2.configurationFile=${p.log4jProps}`, '-cp', classpath(p)];
}

/**
 * Formats KRaft storage once. The cluster id is kept in a file so a wiped
 * data dir is re-formatted with the same id, and meta.properties decides
 * whether formatting is needed at all (re-formatting would wipe topics).
 */
async function ensureFormatted(p: KafkaPaths, log: Log) {
  if (fs.existsSync(path.join(p.dataDir, 'meta.properties'))) return false;
  let clusterId = (readText(p.clusterIdFile) || '').trim();
  if (!clusterId) {
    // Same shape as Kafka's Uuid.randomUuid().toString(): 16 bytes, base64url, no padding; like Kafka, never
    // one that starts with '-', which the storage tool would read as an option (1 id in 64).
    do clusterId = crypto.randomBytes(16).toString('base64url');
    while (clusterId.startsWith('-'));
    fs.writeFileSync(p.clusterIdFile, `${clusterId}\n`);
  }
  log(`kafka: formatting KRaft storage in ${path.relative(p.root, p.dataDir)} (cluster id ${clusterId})`);
  await run(
    'java',
    [...jvmArgs(p), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', p.serverProps, '--ignore-formatted'],
    { cwd: p.dir },
    'kafka-storage format',
  );
  return true;
}

/**
 * Cross-process start lock so `npm start` and `npm test` launched together
 * do not both spawn a broker: the loser waits, then reuses the winner's.
 */
async function withStartLock<T>(p: KafkaPaths, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + START_TIMEOUT_MS * 3;
  for (;;) {
    try {
      fs.writeFileSync(p.lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = parseInt(readText(p.lockFile) || '', 10);
      let age = 0;
      try {
        age = Date.now() - fs.statSync(p.lockFile).mtimeMs;
      } catch {
        continue;
      }
      let holderAlive = false;
      if (holder) {
        try {
          process.kill(holder, 0);
          holderAlive = true;
        } catch (err) {
          holderAlive = (err as NodeJS.ErrnoException).code === 'EPERM';
        }
      }
      if ((holder && !holderAlive) || (!holder && age > 5000)) {
        fs.rmSync(p.lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`kafka: another process (pid ${holder}) is still starting the broker; remove ${p.lockFile} if it is stale`);
      }
      await sleep(300);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(p.lockFile, { force: true });
  }
}

/** Waits until the broker answers ApiVersions; `exited()` lets startup fail fast if the JVM dies. */
async function waitReady(port: number, timeoutMs: number, exited: () => boolean): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited && exited()) return 'exited';
    if ((await apiVersions(HOST, port, 1000)) > 0) return 'ready';
    await sleep(250);
  }
  return 'timeout';
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal); // detached => own process group
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

async function waitExit(pid: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isOurBroker(pid)) return true;
    await sleep(200);
  }
  return !isOurBroker(pid);
}

export interface KafkaBroker {
  brokers: string;
  startedHere: boolean;
}

async function startBroker(p: KafkaPaths, log: Log, ports: { port?: number; controllerPort?: number } = {}): Promise<KafkaBroker> {
  const port = ports.port ?? envPort('KAFKA_PORT', 9092);
  const cport = ports.controllerPort ?? envPort('KAFKA_CONTROLLER_PORT', 9093);
  for (const [pt, name] of [
    [port, 'KAFKA_PORT'],
    [cport, 'KAFKA_CONTROLLER_PORT'],
  ] as const) {
    if (await canConnect(HOST, pt, 1000)) {
      const hint = name === 'KAFKA_PORT' ? `, or set KAFKA_BROKERS=${HOST}:${pt} if that is a broker you want to use` : '';
      throw new Error(
        `kafka: port ${pt} on ${HOST} is already in use by another process (not the broker started by this tool); set ${name} to a free port${hint}`,
      );
    }
  }

  checkJava();
  fs.mkdirSync(p.dir, { recursive: true });
  await ensureJars(p, log);
  fs.writeFileSync(p.serverProps, serverProperties(p, port, cport));
  fs.writeFileSync(p.log4jProps, LOG4J2_PROPERTIES);
  await ensureFormatted(p, log);

  // Keep the previous run's log for post-mortems, start the new one clean.
  if (fs.existsSync(p.logFile)) fs.renameSync(p.logFile, `${p.logFile}.1`);
  const fd = fs.openSync(p.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn('java', [...jvmArgs(p), 'kafka.Kafka', p.serverProps], {
      cwd: p.dir,
      detached: true, // own process group: survives the caller, and stopKafka can signal the group
      stdio: ['ignore', fd, fd],
      env: process.env,
    });
  } finally {
    fs.closeSync(fd);
  }
  let exitInfo: string | null = null;
  const pid = child.pid;
  child.once('exit', (code, signal) => {
    exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  child.once('error', (e) => {
    exitInfo = e.message;
  });
  child.unref();
  if (!pid) throw new Error(`kafka: could not start java: ${exitInfo || 'unknown error'}`);
  fs.writeFileSync(p.pidFile, `${pid}\n`);
  fs.writeFileSync(
    p.stateFile,
    `${JSON.stringify({ pid, port, controllerPort: cport, version: KAFKA_VERSION, startedAt: new Date().toISOString() }, null, 2)}\n`,
  );

  const relLog = path.relative(p.root, p.logFile);
  const result = await waitReady(port, START_TIMEOUT_MS, () => exitInfo !== null);
  if (result !== 'ready') {
    if (result === 'timeout') {
      killGroup(pid, 'SIGKILL');
      await waitExit(pid, 5000);
    }
    clearPid(p);
    const why = result === 'exited' ? `exited during startup (${exitInfo})` : `did not answer on ${HOST}:${port} within ${START_TIMEOUT_MS / 1000}s`;
    const tail = logTail(p, 5);
    throw new Error(`kafka: broker ${why}; see ${relLog}${tail ? `\n${tail}` : ''}`);
  }
  log(`kafka: broker started (pid ${pid}), listening on ${HOST}:${port}, log in ${relLog}`);
  return { brokers: `${HOST}:${port}`, startedHere: true };
}

/** Reuses a running broker of ours if it answers; throws if it runs but is wedged (starting twice would clash on ports). */
async function reuseRunning(p: KafkaPaths, log: Log): Promise<KafkaBroker | null> {
  const running = runningBroker(p);
  if (!running) return null;
  const state = await waitReady(running.port, START_TIMEOUT_MS, () => !isOurBroker(running.pid));
  if (state === 'ready') {
    log(`kafka: reusing broker pid ${running.pid} at ${HOST}:${running.port}`);
    return { brokers: `${HOST}:${running.port}`, startedHere: false };
  }
  if (state === 'exited') {
    clearPid(p);
    return null;
  }
  throw new Error(
    `kafka: broker pid ${running.pid} is running but not answering on ${HOST}:${running.port}; run \`npm run infra:down\` and retry (log: ${path.relative(p.root, p.logFile)})`,
  );
}

/**
 * Makes sure a broker is reachable and returns its bootstrap list.
 * Order: KAFKA_BROKERS (external/compose/CI service) → our running broker →
 * start one. `startedHere` tells a Jest globalTeardown whether it owns the
 * broker and should stop it.
 */
async function ensureKafka({ rootDir, log = console.log }: { rootDir?: string; log?: Log } = {}): Promise<KafkaBroker> {
  const external = process.env.KAFKA_BROKERS;
  if (external && external.trim()) {
    const reachable = await Promise.all(parseBrokers(external).map((b) => canConnect(b.host, b.port, 1000)));
    if (reachable.some(Boolean)) {
      log(`kafka: reusing KAFKA_BROKERS=${external}`);
      return { brokers: external, startedHere: false };
    }
    log(`kafka: KAFKA_BROKERS=${external} is not reachable; falling back to a local broker`);
  }
  const p = paths(rootDir);
  const reused = await reuseRunning(p, log);
  if (reused) return reused;
  // A broker on the default port that another checkout (or `npm start` in
  // another clone) runs is just as good; never start a second one beside it.
  const port = envPort('KAFKA_PORT', 9092);
  if ((await apiVersions(HOST, port, 1000)) > 0) {
    log(`kafka: reusing the broker that answers on ${HOST}:${port} (not started by this checkout)`);
    return { brokers: `${HOST}:${port}`, startedHere: false };
  }
  fs.mkdirSync(p.dir, { recursive: true });
  return withStartLock(p, async () => {
    // Someone may have started it while we waited for the lock.
    return (await reuseRunning(p, log)) || startBroker(p, log);
  });
}

/**
 * Stops the broker this tool started (SIGTERM to its process group so Kafka
 * does a controlled shutdown, SIGKILL after 30 s). Safe when nothing runs.
 * With stateDir, the private broker started there.
 * Answers whether a broker was stopped.
 */
async function stopKafka({ rootDir, stateDir, log = console.log }: { rootDir?: string; stateDir?: string; log?: Log } = {}): Promise<boolean> {
  const p = paths(rootDir, stateDir);
  const pid = readPid(p);
  if (!pid || !isOurBroker(pid)) {
    clearPid(p);
    log('kafka: no local broker running');
    return false;
  }
  const t0 = Date.now();
  killGroup(pid, 'SIGTERM');
  let forced = false;
  if (!(await waitExit(pid, STOP_TIMEOUT_MS))) {
    forced = true;
    killGroup(pid, 'SIGKILL');
    await waitExit(pid, 5000);
  }
  clearPid(p);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  log(`kafka: broker pid ${pid} stopped${forced ? ' (killed after 30s timeout)' : ''} in ${secs}s`);
  return true;
}

/**
 * Starts a broker of the caller's own, never shared and never reused: its
 * own state dir and ports. Started again with the same stateDir and ports,
 * it comes back on its previous data (the chaos runs kill it -9 mid-load).
 */
async function startPrivateKafka({
  rootDir,
  stateDir,
  port,
  controllerPort,
  log = console.log,
}: {
  rootDir: string;
  stateDir: string;
  port: number;
  controllerPort: number;
  log?: Log;
}): Promise<{ brokers: string; pid: number | null }> {
  if (!stateDir) throw new Error('kafka: a private broker needs its own stateDir');
  const p = paths(rootDir, stateDir);
  const running = runningBroker(p);
  if (running) throw new Error(`kafka: a broker (pid ${running.pid}) already runs in ${p.dir}`);
  const started = await startBroker(p, log, { port, controllerPort });
  return { brokers: started.brokers, pid: readPid(p) };
}

/**
 * kill -9 of the broker in stateDir (a crash: no controlled shutdown, no
 * flush). Resolves once the JVM is gone.
 * Answers whether a broker was killed.
 */
async function killKafka({ rootDir, stateDir }: { rootDir: string; stateDir: string }): Promise<boolean> {
  const p = paths(rootDir, stateDir);
  const pid = readPid(p);
  const state: BrokerState = readState(p) || {};
  if (!pid || !isOurBroker(pid)) {
    clearPid(p);
    return false;
  }
  killGroup(pid, 'SIGKILL');
  await waitExit(pid, 10_000);
  // The command line empties before the kernel closes the sockets: wait for the ports too, or a restart finds them taken.
  const deadline = Date.now() + 10_000;
  for (const port of [state.port, state.controllerPort].filter((n): n is number => Boolean(n))) {
    while (Date.now() < deadline && (await canConnect(HOST, port, 500))) await sleep(100);
  }
  clearPid(p);
  return true;
}

/**
 * Reports the broker this tool manages (not KAFKA_BROKERS).
 */
async function kafkaStatus({ rootDir }: { rootDir?: string } = {}): Promise<{ running: boolean; pid?: number; brokers?: string }> {
  const p = paths(rootDir);
  const running = runningBroker(p);
  if (!running) return { running: false };
  const ok = (await apiVersions(HOST, running.port, 1000)) > 0;
  return ok ? { running: true, pid: running.pid, brokers: `${HOST}:${running.port}` } : { running: false, pid: running.pid };
}

/**
 * The broker's jars in the local cache (fetched from Maven Central once per version): also what the
 * apache/kafka stand-in image is made of (tools/infra/standins.ts).
 */
async function fetchBrokerJars({ rootDir, log = console.log }: { rootDir: string; log?: Log }): Promise<string> {
  const p = paths(rootDir);
  await ensureJars(p, log);
  return p.libsDir;
}

export { ensureKafka, stopKafka, kafkaStatus, startPrivateKafka, killKafka, fetchBrokerJars, KAFKA_VERSION, LOG4J2_PROPERTIES };

if (require.main === module) {
  const rootDir = workspaceRoot;
  const cmd = process.argv[2];
  const main = async () => {
    if (cmd === 'up') {
      const r = await ensureKafka({ rootDir });
      console.log(`KAFKA_BROKERS=${r.brokers}`);
    } else if (cmd === 'down') {
      await stopKafka({ rootDir });
    } else if (cmd === 'status') {
      const s = await kafkaStatus({ rootDir });
      console.log(s.running ? `kafka: running, pid ${s.pid}, brokers ${s.brokers}` : `kafka: not running${s.pid ? ` (pid ${s.pid} alive but not answering)` : ''}`);
      process.exitCode = s.running ? 0 : 3;
    } else {
      console.error('usage: sh tools/run.sh infra/kafka up|down|status');
      process.exitCode = 2;
    }
  };
  main().catch((err: Error) => {
    console.error(err && err.message ? err.message : String(err));
    process.exit(1);
  });
}
