import { z } from 'zod';
import { instant } from './common.schemas';

/**
 * The operator routes as each service takes them (`/admin/dlq`, `/admin/dlq/replay`,
 * `/admin/events/republish`); the gateway serves them under `/api/admin` with a
 * `service` field that picks the service.
 */
export const dlqListQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1_000).optional() }).strict();

export const dlqReplayBodySchema = z
  .object({
    ids: z.array(z.string().min(1).max(300)).min(1).max(100_000).optional(),
    /** At most this many (the CLI replays a long queue in steps and shows progress). */
    limit: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();

export const republishBodySchema = z
  .object({ since: instant.optional(), aggregateId: z.string().min(1).max(200).optional() })
  .strict();
