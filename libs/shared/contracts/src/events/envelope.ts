import { z } from 'zod';

/**
 * Every event on the bus (docs/contract.md). The key is `aggregateId`, so
 * all events of one aggregate share a partition and keep their order.
 */
export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().regex(/^[a-z]+\.[a-z-]+$/),
  version: z.number().int().min(1),
  source: z.string().min(1),
  aggregateId: z.string().min(1),
  aggregateVersion: z.number().int().min(0),
  occurredAt: z.iso.datetime({ offset: true }),
  data: z.unknown(),
});

export type Envelope<T = unknown> = Omit<z.infer<typeof envelopeSchema>, 'data'> & { data: T };

/** Header names carried by every record, so tools can read them without parsing the value. */
export const EventHeaders = {
  eventId: 'event-id',
  eventType: 'event-type',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

export const money = {
  cents: z.number().int().min(0).max(10_000_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/),
};
