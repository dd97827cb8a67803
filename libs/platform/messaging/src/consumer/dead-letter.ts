import type { IHeaders, KafkaMessage } from 'kafkajs';
import { DltHeaders } from '@shop/shared/contracts';

// Named in the contracts, with the topics a parked record goes to.
export { DltHeaders, deadLetterTopic, retryTopic } from '@shop/shared/contracts';

/**
 * The record parked in a retry tier or the dead-letter topic: the original
 * key, value and headers, plus where it first came from, the group, why it
 * failed and how often, as UTF-8 strings. A record that already went through
 * a tier keeps its first origin.
 */
export function parkedMessage(
  source: { topic: string; partition: number; message: KafkaMessage },
  group: string,
  error: unknown,
  attempts: number,
  dueAt?: number,
): { key: Buffer | null; value: Buffer | null; headers: IHeaders } {
  const err = error instanceof Error ? error : new Error(String(error));
  const original = source.message.headers ?? {};
  const headers: IHeaders = { ...original };
  // A replayed record keeps its first origin, not the retry topic it came back through.
  const keep = (name: string, value: string) => (headers[name] = original[name] ?? value);
  keep(DltHeaders.originalTopic, source.topic);
  keep(DltHeaders.originalPartition, String(source.partition));
  keep(DltHeaders.originalOffset, source.message.offset);
  keep(DltHeaders.originalTimestamp, source.message.timestamp);
  headers[DltHeaders.originalConsumerGroup] = group;
  headers[DltHeaders.exceptionFqcn] = err.name;
  headers[DltHeaders.exceptionMessage] = err.message.slice(0, 2_000);
  headers[DltHeaders.exceptionStacktrace] = (err.stack ?? '').slice(0, 8_000);
  headers[DltHeaders.attempts] = String(attempts);
  if (dueAt === undefined) delete headers[DltHeaders.dueAt];
  else headers[DltHeaders.dueAt] = String(dueAt);
  return { key: source.message.key, value: source.message.value, headers };
}

export function headerString(headers: IHeaders | undefined, name: string): string | undefined {
  const v = headers?.[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v[0]?.toString() : v.toString();
}
