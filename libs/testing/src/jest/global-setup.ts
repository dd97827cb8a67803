/**
 * Provisions Postgres and Kafka once for the integration suites. With a
 * Docker engine it starts them with testcontainers; without one (these
 * machines) it uses the same local tooling as `npm start`: the server at
 * DATABASE_ADMIN_URL or a private cluster, and a KRaft broker from Maven.
 * Workers inherit DATABASE_ADMIN_URL and KAFKA_BROKERS.
 */
import { execFileSync } from 'node:child_process';
import { infra, workspaceRoot } from '../workspace';

interface Stoppable {
  stop(): Promise<unknown>;
}

declare global {
  var __shopInfra: { containers: Stoppable[]; startedKafka: boolean; startedPostgres: boolean } | undefined;
}

function dockerAvailable(): boolean {
  if (process.env.SHOP_TEST_INFRA === 'local') return false;
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stdout.write(`\n[infra] ${line}`);
  const state = { containers: [] as Stoppable[], startedKafka: false, startedPostgres: false };
  globalThis.__shopInfra = state;

  if (dockerAvailable()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const [pg, kafka] = await Promise.all([
      new PostgreSqlContainer('postgres:15-alpine').withUsername('postgres').withPassword('postgres').start(),
      new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start(),
    ]);
    state.containers.push(pg, kafka);
    process.env.DATABASE_ADMIN_URL = pg.getConnectionUri().replace(/\/[^/]*$/, '/postgres');
    process.env.KAFKA_BROKERS = `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
    log(`testcontainers: postgres ${pg.getHost()}:${pg.getPort()}, kafka ${process.env.KAFKA_BROKERS}`);
    return;
  }

  const rootDir = workspaceRoot();
  const pg = await infra<{ ensurePostgres(o: object): Promise<{ adminUrl: string; startedHere: boolean }> }>('postgres').ensurePostgres({ rootDir, log });
  process.env.DATABASE_ADMIN_URL = pg.adminUrl;
  state.startedPostgres = pg.startedHere;
  const kafka = await infra<{ ensureKafka(o: object): Promise<{ brokers: string; startedHere: boolean }> }>('kafka').ensureKafka({ rootDir, log });
  process.env.KAFKA_BROKERS = kafka.brokers;
  state.startedKafka = kafka.startedHere;
  process.stdout.write('\n');
}
