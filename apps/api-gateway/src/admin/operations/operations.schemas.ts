import { z } from 'zod';
import {
  dlqListQuerySchema as serviceDlqQuery,
  dlqReplayBodySchema as serviceReplayBody,
  republishBodySchema as serviceRepublishBody,
} from '@shop/shared/contracts';
import { UPSTREAM_NAMES } from '../../upstreams/upstreams';

/**
 * The gateway's request shapes for the operator routes: the contract's
 * `service` field picks the service; the rest is what that service's
 * `/admin/...` route takes (`@shop/shared/contracts`). A replay through the
 * gateway takes no `limit`: that is the CLI's, which talks to the service.
 */
const service = z.enum(UPSTREAM_NAMES);

export const dlqListQuerySchema = z.object({ service, ...serviceDlqQuery.shape }).strict();
export type DlqListQuery = z.infer<typeof dlqListQuerySchema>;

export const dlqReplayBodySchema = z.object({ service, ...serviceReplayBody.omit({ limit: true }).shape }).strict();
export type DlqReplayBody = z.infer<typeof dlqReplayBodySchema>;

export const republishBodySchema = z.object({ service, ...serviceRepublishBody.shape }).strict();
export type RepublishBody = z.infer<typeof republishBodySchema>;

export const messagingStatusQuerySchema = z.object({ service }).strict();
export type MessagingStatusQuery = z.infer<typeof messagingStatusQuerySchema>;

/** The read models an operator can rebuild, and the service that keeps each (its `/admin/read-models/<name>/rebuild`). */
export const READ_MODELS = { 'product-snapshots': 'order', ratings: 'catalog' } as const satisfies Record<string, (typeof UPSTREAM_NAMES)[number]>;
export const readModelParamSchema = z.enum(Object.keys(READ_MODELS) as Array<keyof typeof READ_MODELS>);
export type ReadModelName = z.infer<typeof readModelParamSchema>;

/** From the owner's topic (the default), or imported from the owner's export API: the service's own body. */
export { rebuildReadModelBodySchema as rebuildBodySchema } from '@shop/shared/contracts';
export type { RebuildReadModelBody as RebuildBody } from '@shop/shared/contracts';
