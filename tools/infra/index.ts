/**
 * `npm run infra:up` / `npm run infra:down`: Postgres and Kafka on their own,
 * for running single test files or apps by hand.
 */
import * as postgres from './postgres';
import * as kafka from './kafka';
import { root as rootDir } from '../lib/workspace';

const cmd = process.argv[2];

async function main() {
  if (cmd === 'up') {
    const pg = await postgres.ensurePostgres({ rootDir });
    const broker = await kafka.ensureKafka({ rootDir });
    console.log(`export DATABASE_ADMIN_URL=${pg.adminUrl} KAFKA_BROKERS=${broker.brokers}`);
  } else if (cmd === 'down') {
    await kafka.stopKafka({ rootDir });
    await postgres.stopPostgres({ rootDir });
  } else {
    throw new Error('usage: infra up|down');
  }
}

main().catch((err) => {
  console.error(String(err.message).split('\n')[0]);
  process.exit(1);
});
