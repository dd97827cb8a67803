/**
 * Provisions Postgres and Kafka once for the integration and end-to-end
 * suites, where tools/infra/containers.ts's testInfra() decides:
 * - containers: testcontainers on a Docker engine, from the very images and
 *   broker settings docker-compose.yml pins (the stand-ins where no registry
 *   serves them), so that the tests and compose run the same servers;
 * - local: the tooling `npm start` uses (the server at DATABASE_ADMIN_URL or a
 *   private cluster, and a KRaft broker from Maven).
 * Workers inherit DATABASE_ADMIN_URL and KAFKA_BROKERS.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { freePort } from '../app-process';
import { infra, workspaceRoot } from '../workspace';

interface Stoppable {
  stop(): Promise<unknown>;
}

export interface TestEngine {
  env: Record<string, string>;
  built: string[];
  startedHere: boolean;
}

export interface Containers {
  testInfra(rootDir: string): { mode: 'local' | 'containers'; why: string };
  prepareContainers(o: { rootDir: string; images: string[]; log: (l: string) => void }): Promise<TestEngine>;
  releaseContainers(o: { rootDir: string; engine: TestEngine; log: (l: string) => void }): Promise<void>;
}

declare global {
  var __shopInfra: { containers: Stoppable[]; engine?: TestEngine; startedKafka: boolean; startedPostgres: boolean } | undefined;
}

type State = NonNullable<typeof globalThis.__shopInfra>;

async function startContainers(rootDir: string, state: State, log: (line: string) => void): Promise<void> {
  const compose = parse(readFileSync(join(rootDir, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { image: string; environment?: Record<string, string | number> }>;
  };
  const { postgres, kafka } = compose.services;
  const containers = infra<Containers>('containers');
  state.engine = await containers.prepareContainers({ rootDir, images: [postgres.image, kafka.image], log });
  Object.assign(process.env, state.engine.env);
  // Ryuk, testcontainers' reaper, is one more image to pull (from Docker Hub); the teardown stops what this starts.
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { GenericContainer, Wait } = await import('testcontainers');

  // The broker as compose configures it, but advertised at the address the tests reach it on.
  const kafkaPort = await freePort();
  const kafkaEnv = Object.fromEntries(Object.entries(kafka.environment ?? {}).map(([k, v]) => [k, String(v)]));
  const [pg, broker] = await Promise.all([
    new PostgreSqlContainer(postgres.image)
      .withUsername('postgres')
      .withPassword('postgres')
      // As the private cluster tools/infra/postgres.ts starts: the suites open many pools at once.
      .withCommand(['postgres', '-c', 'max_connections=300'])
      .start(),
    new GenericContainer(kafka.image)
      .withEnvironment({ ...kafkaEnv, KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}` })
      .withExposedPorts({ container: 9092, host: kafkaPort })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .withStartupTimeout(120_000)
      .start(),
  ]);
  state.containers.push(pg, broker);
  process.env.DATABASE_ADMIN_URL = pg.getConnectionUri().replace(/\/[^/]*$/, '/postgres');
  process.env.KAFKA_BROKERS = `${broker.getHost()}:${kafkaPort}`;
  log(`testcontainers: ${postgres.image} on ${pg.getHost()}:${pg.getPort()}, ${kafka.image} on ${process.env.KAFKA_BROKERS}`);
}

export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stdout.write(`\n[infra] ${line}`);
  const state: State = { containers: [], startedKafka: false, startedPostgres: false };
  globalThis.__shopInfra = state;
  const rootDir = workspaceRoot();
  const { mode, why } = infra<Containers>('containers').testInfra(rootDir);
  log(`${mode === 'containers' ? 'testcontainers' : 'local servers'} (${why})`);

  if (mode === 'containers') {
    await startContainers(rootDir, state, log);
  } else {
    const pg = await infra<{ ensurePostgres(o: object): Promise<{ adminUrl: string; startedHere: boolean }> }>('postgres').ensurePostgres({ rootDir, log });
    process.env.DATABASE_ADMIN_URL = pg.adminUrl;
    state.startedPostgres = pg.startedHere;
    const kafka = await infra<{ ensureKafka(o: object): Promise<{ brokers: string; startedHere: boolean }> }>('kafka').ensureKafka({ rootDir, log });
    process.env.KAFKA_BROKERS = kafka.brokers;
    state.startedKafka = kafka.startedHere;
  }
  process.stdout.write('\n');
}
