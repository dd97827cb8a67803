/**
 * A correction to kafkajs 2.2.4, the last release (unmaintained).
 *
 * Its request queue (one per broker connection) re-arms a timer at the end of
 * every check, even when no request waits and nothing is throttled; the delay
 * is then negative, so the timer fires after 1 ms, checks nothing, and arms
 * itself again. Each connection wakes its process a thousand times a second
 * for nothing: a consumer that receives no record costs a few percent of a
 * core, and every process of the platform pays it for each of its
 * connections, whatever the load (reported upstream, never released as a fix).
 *
 * Corrected here: a check is scheduled only when a request waits (when a
 * throttle ends, or after the queue's usual 10 ms). A request that cannot be
 * sent at once is queued by push(), which schedules a check itself, and one
 * finishing checks the queue; so nothing that waits is left unchecked.
 */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

interface RequestQueueState {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
}

interface RequestQueueClass {
  prototype: RequestQueueState & { scheduleCheckPendingRequests(): void; [CORRECTED]?: true };
}

const CORRECTED = Symbol.for('shop.kafkajs.request-queue-corrected');

function scheduleCheckPendingRequests(this: RequestQueueState): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS,
  );
}

/** The request queue class of the kafkajs that this process loads. */
export function kafkajsRequestQueue(): RequestQueueClass {
  // Not part of kafkajs's typed API: the path is fixed in the pinned 2.2.4.
  return require('kafkajs/src/network/requestQueue') as RequestQueueClass;
}

/** Applies the correction once per process; createKafka calls it. */
export function correctKafkajsRequestQueue(): void {
  const { prototype } = kafkajsRequestQueue();
  if (prototype[CORRECTED]) return;
  prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  prototype[CORRECTED] = true;
}
