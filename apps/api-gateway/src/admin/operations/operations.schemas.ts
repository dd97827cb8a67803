import { z } from 'zod';
import { UPSTREAM_NAMES } from '../../upstreams/upstreams';

/**
 * The gateway's own request shapes for the operator routes: the contract's
 * `service` field picks the service; the rest is what that service's
 * `/admin/...` route takes.
 */
const service = z.enum(UPSTREAM_NAMES);

export const dlqListQuerySchema = z
  .object({ service, limit: z.coerce.number().int().min(1).max(1_000).optional() })
  .strict();
export type DlqListQuery = z.infer<typeof dlqListQuerySchema>;

export const dlqReplayBodySchema = z
  .object({ service, ids: z.array(z.string().min(1).max(300)).min(1).max(100_000).optional() })
  .strict();
export type DlqReplayBody = z.infer<typeof dlqReplayBodySchema>;

export const republishBodySchema = z
  .object({ service, since: z.iso.datetime({ offset: true }).optional(), aggregateId: z.string().min(1).max(200).optional() })
  .strict();
export type RepublishBody = z.infer<typeof republishBodySchema>;
