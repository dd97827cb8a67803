import type { PruneTable } from '@shop/platform/messaging';
import type { ServiceName } from '@shop/shared/contracts';

export const KAFKA = Symbol('KAFKA');
export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingModuleOptions {
  service: ServiceName;
  brokers: string[];
  /** Prepended to topic names and the group id; isolates test runs on a shared broker. */
  topicPrefix?: string;
  /** The service's own database, where its outbox lives. */
  database: { url: string; schema: string };
  relay?: { enabled?: boolean; pollIntervalMs?: number; batchSize?: number };
  /** Pruning of the messaging tables (and the service's own, e.g. idempotency keys) older than the retention. */
  prune?: { retentionMs: number; tables?: PruneTable[] };
  consumer?: { retryDelaysMs?: number[]; partitionsConsumedConcurrently?: number; retryPartitionsConsumedConcurrently?: number };
}
