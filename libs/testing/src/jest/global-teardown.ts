/** Stops what the global setup started, and nothing it merely reused. */
import { infra, workspaceRoot } from '../workspace';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__shopInfra;
  if (!state) return;
  await Promise.all(state.containers.map((c) => c.stop()));
  const rootDir = workspaceRoot();
  // A broker that `npm start` or the developer is using is left alone (startedKafka is false then).
  if (state.startedKafka && process.env.SHOP_KEEP_INFRA !== '1') {
    await infra<{ stopKafka(o: object): Promise<boolean> }>('kafka').stopKafka({ rootDir });
  }
  if (state.startedPostgres && process.env.SHOP_KEEP_INFRA !== '1') {
    await infra<{ stopPostgres(o: object): Promise<boolean> }>('postgres').stopPostgres({ rootDir });
  }
}
