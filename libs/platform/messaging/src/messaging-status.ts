import type { RelayHealth } from './outbox/outbox-relay';
import type { ConsumerHealth } from './consumer/supervised-consumer';

/**
 * One service's messaging at a glance, for operators (`GET /admin/messaging`,
 * the console): its outbox (rows waiting, the oldest one's age, whether this
 * instance publishes), its consumer group members, and each topic's lag.
 */
export interface MessagingStatus {
  outbox: {
    backlog: number;
    oldestPendingSeconds: number;
    leader: boolean;
    running: boolean;
    consecutiveFailures: number;
    lastError: string | null;
    /** Rows the broker refused for good, set aside with its error; republishing their aggregate sends them again. */
    failedRows: number;
    /** Topics the broker cannot take now; tried again after a pause while the others go on. */
    blockedTopics: Array<{ topic: string; error: string }>;
  };
  consumers: Array<{ group: string; status: ConsumerHealth['status']; since: string; restarts: number; lastError: string | null }>;
  /** Records on the broker not yet committed by the group, per topic; empty when the broker could not say. */
  lag: Array<{ topic: string; group: string; lag: number }>;
  totalLag: number;
  /** Why the lag is unknown (the broker did not answer), else null. */
  lagError: string | null;
}

export interface MessagingStatusSources {
  backlog(): Promise<number>;
  relay(): Promise<RelayHealth>;
  consumers(): ConsumerHealth[];
  lag(): Promise<Array<{ topic: string; group: string; lag: number }>>;
}

/** Reads every source at once; a broker that cannot report lag costs the lag, not the answer. */
export async function messagingStatus(sources: MessagingStatusSources): Promise<MessagingStatus> {
  const [backlog, relay, lag] = await Promise.all([
    sources.backlog(),
    sources.relay(),
    sources.lag().then(
      (rows) => ({ rows, error: null }),
      (err: Error) => ({ rows: [], error: err.message }),
    ),
  ]);
  return {
    outbox: {
      backlog,
      oldestPendingSeconds: relay.oldestPendingSeconds,
      leader: relay.leader,
      running: relay.running,
      consecutiveFailures: relay.consecutiveFailures,
      lastError: relay.lastError ?? null,
      failedRows: relay.failedRows,
      blockedTopics: relay.blockedTopics,
    },
    consumers: sources.consumers().map((c) => ({ group: c.group, status: c.status, since: c.since.toISOString(), restarts: c.restarts, lastError: c.lastError ?? null })),
    lag: lag.rows,
    totalLag: lag.rows.reduce((sum, row) => sum + row.lag, 0),
    lagError: lag.error,
  };
}
