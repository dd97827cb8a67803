/** Stops what the global setup started, and nothing it merely reused. */
import { infra, workspaceRoot } from '../workspace';
import type { Containers } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__shopInfra;
  if (!state) return;
  const rootDir = workspaceRoot();
  await Promise.all(state.containers.map((c) => c.stop()));
  if (state.engine) {
    await infra<Containers>('containers').releaseContainers({ rootDir, engine: state.engine, log: (line) => process.stdout.write(`[infra] ${line}\n`) });
  }
  // A broker that `npm start` or the developer is using is left alone (startedKafka is false then).
  if (state.startedKafka && process.env.SHOP_KEEP_INFRA !== '1') {
    await infra<{ stopKafka(o: object): Promise<boolean> }>('kafka').stopKafka({ rootDir });
  }
  if (state.startedPostgres && process.env.SHOP_KEEP_INFRA !== '1') {
    await infra<{ stopPostgres(o: object): Promise<boolean> }>('postgres').stopPostgres({ rootDir });
  }
}
