import { Kafka, KafkaConfig, logLevel } from 'kafkajs';
import { correctKafkajsRequestQueue } from './kafkajs-request-queue';

export interface KafkaClientOptions {
  clientId: string;
  brokers: string[];
  /** Where kafkajs's own warnings and errors go (default: dropped); those it also hands to its caller at debug. */
  log?: (level: 'debug' | 'warn' | 'error', message: string) => void;
  /** Connection and request timeouts; kept short so readiness answers fast. */
  connectionTimeoutMs?: number;
}

/**
 * What kafkajs logs as a warning or an error and then hands on to the code
 * that called it, which retries or reports it in its own words: an error
 * answer to a request (kafkajs logs every one, then throws it to its retrier
 * or its caller), a consumer's crash (its supervisor logs it and restarts it),
 * an admin operation's retry, a rebalance. On a broker's first seconds these
 * are dozens of lines ("group coordinator is not available", "this server
 * does not host this topic-partition", two services creating the same topic)
 * that end in nothing; a failure that lasts still surfaces from the caller.
 */
const HANDED_ON = [/^Response /, /^Crash: /, /^Could not (create topics|describe configs|alter configs)/, /^The group is rebalancing, re-joining/];

/** The level a kafkajs warning or error is logged at here: debug when kafkajs also hands it on. */
export function kafkaLogLevel(level: logLevel, message = ''): 'debug' | 'warn' | 'error' {
  if (HANDED_ON.some((pattern) => pattern.test(message))) return 'debug';
  return level === logLevel.ERROR ? 'error' : 'warn';
}

/** One kafkajs client per process; producers, consumers and admins are made from it. */
export function createKafka(options: KafkaClientOptions): Kafka {
  correctKafkajsRequestQueue();
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: 10_000,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }) => {
        // A one-time note about exactly-once transactions, which the platform does not use (inboxes deduplicate).
        if (!options.log || log.message?.startsWith('Limiting retries for the idempotent producer')) return;
        const text = `${log.message}${log.error ? `: ${String(log.error)}` : ''}`;
        options.log(kafkaLogLevel(level, log.message), text);
      },
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
  };
  return new Kafka(config);
}

/**
 * Readiness of the broker connection: a metadata round trip through an admin
 * client that stays connected, so a probe every few seconds costs one request.
 */
export class KafkaHealth {
  private readonly admin;
  private connected?: Promise<void>;

  constructor(kafka: Kafka) {
    this.admin = kafka.admin({ retry: { retries: 0 } });
  }

  async check(timeoutMs = 2_000): Promise<void> {
    const attempt = (async () => {
      this.connected ??= this.admin.connect().catch((err) => {
        this.connected = undefined;
        throw err;
      });
      await this.connected;
      await this.admin.describeCluster();
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Kafka within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([attempt, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Called by Nest at shutdown when registered as a provider. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    if (this.connected) await this.admin.disconnect().catch(() => undefined);
    this.connected = undefined;
  }
}
