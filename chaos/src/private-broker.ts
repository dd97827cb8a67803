import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, infra, uniqueSuffix, workspaceRoot } from '@shop/testing';

interface KafkaTool {
  startPrivateKafka(o: { rootDir: string; stateDir: string; port: number; controllerPort: number; log?: (line: string) => void }): Promise<{ brokers: string; pid: number }>;
  killKafka(o: { rootDir: string; stateDir: string }): Promise<boolean>;
  stopKafka(o: { rootDir: string; stateDir: string; log?: (line: string) => void }): Promise<boolean>;
}

/**
 * A Kafka broker of the chaos run's own (tools/infra/kafka.ts, its own
 * ports and data dir): the run kills it -9 and restarts it on the same port
 * and data, and never touches the shared broker on 9092.
 */
export class PrivateBroker {
  private constructor(
    readonly stateDir: string,
    readonly port: number,
    readonly controllerPort: number,
    private readonly log: (line: string) => void,
  ) {}

  static async start(log: (line: string) => void = () => undefined): Promise<PrivateBroker> {
    const stateDir = join(workspaceRoot(), '.local', 'chaos', `kafka-${uniqueSuffix()}`);
    const broker = new PrivateBroker(stateDir, await freePort(), await freePort(), log);
    try {
      await broker.restart();
    } catch (err) {
      rmSync(stateDir, { recursive: true, force: true });
      throw err;
    }
    return broker;
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  /** Starts it again on the same port and data (after a kill). */
  async restart(): Promise<void> {
    await tool().startPrivateKafka({ rootDir: workspaceRoot(), stateDir: this.stateDir, port: this.port, controllerPort: this.controllerPort, log: this.log });
  }

  /** kill -9 of the JVM: no controlled shutdown. */
  async kill(): Promise<void> {
    if (!(await tool().killKafka({ rootDir: workspaceRoot(), stateDir: this.stateDir }))) throw new Error('chaos: the private broker was not running');
  }

  /** Stops it and removes its data, unless kept for a post-mortem. */
  async stop(options: { keepData?: boolean } = {}): Promise<void> {
    await tool().stopKafka({ rootDir: workspaceRoot(), stateDir: this.stateDir, log: () => undefined });
    if (!options.keepData) rmSync(this.stateDir, { recursive: true, force: true });
  }
}

function tool(): KafkaTool {
  return infra<KafkaTool>('kafka');
}
