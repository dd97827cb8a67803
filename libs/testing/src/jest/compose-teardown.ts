/** Removes what the compose smoke's global setup built and stops the engine it started. */
import { infra, workspaceRoot } from '../workspace';
import type { Containers } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const engine = globalThis.__shopComposeEngine;
  if (!engine) return;
  await infra<Containers>('containers').releaseContainers({ rootDir: workspaceRoot(), engine, log: (line) => process.stdout.write(`[compose] ${line}\n`) });
}
