import CircuitBreaker from 'opossum';
import { Dispatcher, Pool } from 'undici';
import {
  BulkheadFullError,
  CircuitOpenError,
  UpstreamError,
  UpstreamTimeoutError,
  UpstreamUnreachableError,
} from './upstream-errors';

export type BreakerState = 'closed' | 'open' | 'halfOpen';

/** What a breaker does, as counted by the metrics: calls and their outcomes, and state changes. */
export type BreakerEvent =
  | 'fire'
  | 'success'
  | 'failure'
  | 'reject'
  | 'timeout'
  | 'bulkheadReject'
  | 'open'
  | 'halfOpen'
  | 'close';

export interface UpstreamOptions {
  name: string;
  /** `http://host:port`, optionally with a base path. */
  baseUrl: string;
  /** No answer within this (headers and body) and the request is aborted; keep it below the caller's own deadline. */
  timeoutMs: number;
  /** Keep-alive sockets to this upstream at most. */
  connections: number;
  /** Calls in flight at most (opossum's semaphore): the bulkhead; the excess is rejected at once. */
  capacity: number;
  /** Open when this share of the calls in the window failed... */
  errorThresholdPercentage: number;
  /** ...and at least this many calls were made in it. */
  volumeThreshold: number;
  /** Open for this long, then let one trial call through (half-open). */
  resetTimeoutMs: number;
  /** The rolling window the error rate is computed over. */
  rollingWindowMs: number;
  keepAliveTimeoutMs?: number;
}

export interface UpstreamRequest {
  method: string;
  /** Path and query string, e.g. `/api/products?limit=5`. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface BreakerSnapshot {
  state: BreakerState;
  stats: {
    windowMs: number;
    fires: number;
    successes: number;
    failures: number;
    rejects: number;
    timeouts: number;
    bulkheadRejections: number;
    latencyMeanMs: number;
    latencyP99Ms: number;
  };
  settings: Pick<UpstreamOptions, 'timeoutMs' | 'capacity' | 'connections' | 'errorThresholdPercentage' | 'volumeThreshold' | 'resetTimeoutMs'>;
}

/** An answer with an error status travels through opossum as a rejection so errorFilter can judge it. */
class StatusAnswer extends Error {
  constructor(readonly response: UpstreamResponse) {
    super(`upstream answered ${response.status}`);
  }
}

type Call = [UpstreamRequest, AbortController];

/**
 * One upstream: a keep-alive undici Pool behind one long-lived opossum breaker.
 *
 * - Every call gets its own AbortController; when opossum's timeout fires, that
 *   call (and only that one) is aborted, so the socket is really released.
 * - Answers with a 4xx status are the caller's fault and count as successes
 *   (errorFilter); 5xx, timeouts and transport errors count as failures.
 * - `capacity` bounds the calls in flight, so one slow upstream cannot hold
 *   every socket and every request of the process.
 *
 * `request` resolves with any answer the upstream gave, whatever its status,
 * and rejects with an UpstreamError only when there is no answer.
 */
export class UpstreamClient {
  readonly name: string;
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly breaker: CircuitBreaker<Call, UpstreamResponse>;
  private readonly listeners = new Set<(event: BreakerEvent) => void>();
  private openedAt = 0;

  constructor(private readonly options: UpstreamOptions) {
    if (!(options.timeoutMs > 0)) throw new Error(`${options.name}: timeoutMs must be positive`);
    this.name = options.name;
    const url = new URL(options.baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000,
      // A backstop only: the breaker's timeout aborts first.
      headersTimeout: options.timeoutMs * 2,
      bodyTimeout: options.timeoutMs * 2,
    });
    this.breaker = new CircuitBreaker((request: UpstreamRequest, controller: AbortController) => this.send(request, controller), {
      name: options.name,
      timeout: options.timeoutMs,
      resetTimeout: options.resetTimeoutMs,
      errorThresholdPercentage: options.errorThresholdPercentage,
      volumeThreshold: options.volumeThreshold,
      rollingCountTimeout: options.rollingWindowMs,
      rollingCountBuckets: 10,
      capacity: options.capacity,
      errorFilter: (err: unknown) => err instanceof StatusAnswer && err.response.status < 500,
      // Snapshots would recompute the window's percentiles every bucket; stats are read on demand instead.
      enableSnapshots: false,
    });
    this.breaker.on('timeout', (_err: Error, _latency?: number, call?: Call) => call?.[1].abort());
    this.forward('fire', 'fire');
    this.forward('success', 'success');
    this.forward('failure', 'failure');
    this.forward('reject', 'reject');
    this.forward('timeout', 'timeout');
    this.forward('semaphoreLocked', 'bulkheadReject');
    this.forward('halfOpen', 'halfOpen');
    this.forward('close', 'close');
    this.breaker.on('open', () => {
      this.openedAt = Date.now();
      this.emit('open');
    });
  }

  async request(request: UpstreamRequest): Promise<UpstreamResponse> {
    try {
      return await this.breaker.fire(request, new AbortController());
    } catch (err) {
      if (err instanceof StatusAnswer) return err.response;
      throw this.toUpstreamError(err);
    }
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'halfOpen';
    return 'closed';
  }

  /** Seconds until the breaker lets a trial call through; 1 when it is not open. */
  retryAfterSeconds(): number {
    if (!this.breaker.opened) return 1;
    const remaining = this.openedAt + this.options.resetTimeoutMs - Date.now();
    return Math.max(1, Math.ceil(remaining / 1000));
  }

  snapshot(): BreakerSnapshot {
    const stats = this.breaker.stats;
    const { timeoutMs, capacity, connections, errorThresholdPercentage, volumeThreshold, resetTimeoutMs } = this.options;
    return {
      state: this.state,
      stats: {
        windowMs: this.options.rollingWindowMs,
        fires: stats.fires,
        successes: stats.successes,
        failures: stats.failures,
        rejects: stats.rejects,
        timeouts: stats.timeouts,
        bulkheadRejections: stats.semaphoreRejections,
        latencyMeanMs: Math.round(stats.latencyMean * 100) / 100,
        latencyP99Ms: stats.percentiles[0.99] ?? 0,
      },
      settings: { timeoutMs, capacity, connections, errorThresholdPercentage, volumeThreshold, resetTimeoutMs },
    };
  }

  /** Listens to calls, outcomes and state changes; returns the unsubscribe function. */
  onEvent(listener: (event: BreakerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the breaker's timers and closes the sockets once calls in flight have ended. */
  async close(): Promise<void> {
    this.breaker.shutdown();
    this.listeners.clear();
    await this.pool.close().catch(() => this.pool.destroy());
  }

  private async send(request: UpstreamRequest, controller: AbortController): Promise<UpstreamResponse> {
    const answer = await this.pool.request({
      method: request.method as Dispatcher.HttpMethod,
      path: `${this.basePath}${request.path}`,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
    });
    const body = Buffer.from(await answer.body.arrayBuffer());
    const response: UpstreamResponse = { status: answer.statusCode, headers: answer.headers, body };
    if (response.status >= 400) throw new StatusAnswer(response);
    return response;
  }

  private toUpstreamError(err: unknown): UpstreamError {
    const code = (err as { code?: string } | undefined)?.code;
    if (err instanceof Error && CircuitBreaker.isOurError(err)) {
      if (code === 'EOPENBREAKER') return new CircuitOpenError(this.name, `${this.name} is unavailable (circuit open)`, this.retryAfterSeconds());
      if (code === 'ESEMLOCKED') return new BulkheadFullError(this.name, `${this.name} is at capacity (${this.options.capacity} calls in flight)`, 1);
      if (code === 'ETIMEDOUT') return new UpstreamTimeoutError(this.name, `${this.name} did not answer within ${this.options.timeoutMs} ms`, 1);
    }
    // The cause (an address, a socket error) stays out of the message, which clients may see.
    return new UpstreamUnreachableError(this.name, `${this.name} is unreachable`, this.retryAfterSeconds(), { cause: err });
  }

  private forward(from: string, to: BreakerEvent): void {
    this.breaker.on(from as 'fire', () => this.emit(to));
  }

  private emit(event: BreakerEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
