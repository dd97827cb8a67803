/**
 * The compose smoke's engine and images: a Docker engine (started, as root,
 * when none answers) and the third-party images compose and the Dockerfile
 * start from (stand-ins where no registry serves them). What this finds in
 * place (`npm test` prepares it once for the smoke and the container path of
 * the integration tests) it leaves; what it makes, the teardown removes.
 */
import { infra, workspaceRoot } from '../workspace';
import type { Containers, TestEngine } from './global-setup';

declare global {
  var __shopComposeEngine: TestEngine | undefined;
}

export default async function globalSetup(): Promise<void> {
  const rootDir = workspaceRoot();
  const { pinnedImages } = infra<{ pinnedImages(root: string): Record<string, string> }>('standins');
  const engine = await infra<Containers>('containers').prepareContainers({
    rootDir,
    images: Object.values(pinnedImages(rootDir)),
    log: (line) => process.stdout.write(`\n[compose] ${line}`),
  });
  globalThis.__shopComposeEngine = engine;
  // The spec's worker inherits this process's environment: the engine's address.
  Object.assign(process.env, engine.env);
  process.stdout.write('\n');
}
