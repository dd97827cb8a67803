import CircuitBreaker from 'opossum';
import { Dispatcher, Pool } from 'undici';
import { LatencyWindow } from './latency-window';
import {
  BulkheadFullError,
  CircuitOpenError,
  ClientOverShareError,
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
  /** Keep-alive sockets to this upstream at most. */
  connections: number;
  /**
   * Reads (GET) time out after READ_TIMEOUT_P99_FACTOR times the p99 of the
   * latest answers, never sooner than `floorMs` nor later than `maxMs` (which
   * also applies until enough answers were seen).
   */
  readTimeout: { floorMs: number; maxMs: number };
  /** Writes wait longer, and are sent once: never retried. */
  writeTimeoutMs: number;
  /** Calls in flight at most (the bulkhead); the excess is refused at once and never counted against the upstream. */
  capacity: number;
  /** When the bulkhead is full, a client holding at least this share (0..1] of it is refused as a client error. */
  clientShare: number;
  /** Open when this share of the calls in the window failed... */
  errorThresholdPercentage: number;
  /** ...and at least this many calls were made in it. */
  volumeThreshold: number;
  /** Also open after this many failures (502/503/504, timeouts, transport errors) in a row, whatever the traffic rate. */
  consecutiveFailures: number;
  /** Open for this long, then probe the upstream once (half-open): a good answer closes the breaker. */
  resetTimeoutMs: number;
  /** The rolling window the error rate is computed over. */
  rollingWindowMs: number;
  /** What the half-open probe GETs: readiness (the database answers), not mere liveness. */
  probePath?: string;
  keepAliveTimeoutMs?: number;
}

export interface UpstreamRequest {
  method: string;
  /** Path and query string, e.g. `/api/products?limit=5`. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Who is asking (a customer id, an address): how much of the bulkhead they hold decides 429 against 503. */
  client?: string;
  /** A deadline of the caller's shorter than the upstream's own timeout (an order summary's part). */
  timeoutMs?: number;
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
    consecutiveFailures: number;
    inFlight: number;
    /** Over the latest reads answered. */
    latencyMeanMs: number;
    latencyP99Ms: number;
  };
  settings: {
    readTimeoutMs: number;
    readTimeoutFloorMs: number;
    readTimeoutMaxMs: number;
    writeTimeoutMs: number;
    capacity: number;
    connections: number;
    errorThresholdPercentage: number;
    volumeThreshold: number;
    consecutiveFailures: number;
    resetTimeoutMs: number;
  };
}

/** A read may take this many times the upstream's recent p99 before it is abandoned. */
export const READ_TIMEOUT_P99_FACTOR = 4;
/** Answers seen before the read timeout follows them rather than its maximum. */
const MIN_LATENCY_SAMPLES = 20;
/** The read timeout is recomputed after this many answers (a sort of 256 numbers). */
const RECOMPUTE_EVERY = 50;

/**
 * The answers that say the upstream cannot serve (502, 503, 504): they travel
 * through opossum as a rejection so they count as failures; the caller still
 * gets the answer. A 500 is an answer about one request (its content hit a
 * bug): counted against the upstream, three odd requests would refuse every
 * customer. It passes as any other answer, and the upstream's own metrics and
 * logs show it.
 */
const UNAVAILABLE_ANSWERS = new Set([502, 503, 504]);

/** An answer that counts as a failure (UNAVAILABLE_ANSWERS). */
class ServerErrorAnswer extends Error {
  constructor(readonly response: UpstreamResponse) {
    super(`upstream answered ${response.status}`);
  }
}

class CallTimedOut extends Error {
  readonly code = 'ETIMEDOUT';
}

interface Call {
  request: UpstreamRequest;
  timeoutMs: number;
  /** A read whose latency feeds the read timeout (not the half-open probe). */
  measured: boolean;
}

/**
 * One upstream: a keep-alive undici Pool behind one long-lived opossum breaker,
 * with a bulkhead in front of it.
 *
 * - The breaker opens on an error rate over its window (opossum's rule) and
 *   also after `consecutiveFailures` in a row, so a caller who waits for each
 *   answer (a person at a storefront) is protected as well as a busy one.
 * - Answers that say the upstream cannot serve (502, 503, 504), timeouts and
 *   transport errors are failures. 4xx answers are the caller's, and a 500 is
 *   about one request's content: both count as successes, so no client can
 *   open a breaker for everyone else by what it sends.
 * - Each call has its own deadline (reads: from the measured latency; writes:
 *   fixed) and AbortController: when it fires, that call's request is really
 *   aborted and its socket released.
 * - The bulkhead (`capacity` calls in flight) is checked before the breaker:
 *   a refusal is answered at once and never counted as a failure, so a burst
 *   against a healthy upstream cannot open its breaker.
 * - After `resetTimeoutMs` open, the breaker probes the upstream itself; the
 *   probe's answer closes or reopens it, and callers keep their fast refusal
 *   meanwhile.
 *
 * `request` resolves with any answer the upstream gave, whatever its status,
 * and rejects with an UpstreamError only when there is no answer.
 */
export class UpstreamClient {
  readonly name: string;
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly probePath: string;
  private readonly breaker: CircuitBreaker<[Call], UpstreamResponse>;
  private readonly listeners = new Set<(event: BreakerEvent) => void>();
  private readonly latencies = new LatencyWindow();
  private readonly clients = new Map<string, number>();
  private readTimeoutMs: number;
  private sinceRecompute = 0;
  private inFlight = 0;
  private consecutiveFailures = 0;
  private openedAt = 0;

  constructor(private readonly options: UpstreamOptions) {
    const { readTimeout, writeTimeoutMs } = options;
    if (!(readTimeout.floorMs > 0 && readTimeout.maxMs >= readTimeout.floorMs && writeTimeoutMs > 0)) {
      throw new Error(`${options.name}: timeouts must be positive, the read maximum at least its floor`);
    }
    this.name = options.name;
    this.readTimeoutMs = readTimeout.maxMs;
    const url = new URL(options.baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.probePath = options.probePath ?? '/health/ready';
    const backstopMs = 2 * Math.max(readTimeout.maxMs, writeTimeoutMs);
    this.pool = new Pool(url.origin, {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000,
      // A backstop only: each call's own deadline aborts first.
      headersTimeout: backstopMs,
      bodyTimeout: backstopMs,
    });
    this.breaker = new CircuitBreaker((call: Call) => this.send(call), {
      name: options.name,
      // Deadlines are per call (reads and writes differ), set in send().
      timeout: false,
      resetTimeout: options.resetTimeoutMs,
      errorThresholdPercentage: options.errorThresholdPercentage,
      volumeThreshold: options.volumeThreshold,
      rollingCountTimeout: options.rollingWindowMs,
      rollingCountBuckets: 10,
      // The bulkhead is ours, in request(): opossum's semaphore counts a refusal as a failure.
      capacity: Number.MAX_SAFE_INTEGER,
      // Latency percentiles come from our own window; opossum's sort every latency of its window on every failure.
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
    });
    this.breaker.on('failure', () => {
      this.consecutiveFailures++;
      if (this.consecutiveFailures >= options.consecutiveFailures && this.breaker.closed) this.breaker.open();
    });
    this.breaker.on('success', () => {
      this.consecutiveFailures = 0;
    });
    this.breaker.on('open', () => {
      this.openedAt = Date.now();
    });
    this.breaker.on('close', () => {
      this.consecutiveFailures = 0;
    });
    // Synchronously on entering half-open, so the probe is the one trial call opossum lets through.
    this.breaker.on('halfOpen', () => void this.probe());
    for (const [from, to] of [
      ['fire', 'fire'],
      ['success', 'success'],
      ['failure', 'failure'],
      ['reject', 'reject'],
      ['timeout', 'timeout'],
      ['semaphoreLocked', 'bulkheadReject'],
      ['open', 'open'],
      ['halfOpen', 'halfOpen'],
      ['close', 'close'],
    ] as const) {
      this.breaker.on(from as 'fire', () => this.emit(to));
    }
  }

  async request(request: UpstreamRequest): Promise<UpstreamResponse> {
    const read = request.method === 'GET' || request.method === 'HEAD';
    const timeoutMs = read ? this.readTimeoutMs : this.options.writeTimeoutMs;
    this.admit(request.client);
    const call = this.breaker
      .fire({ request, timeoutMs, measured: read })
      .catch((err: unknown) => {
        if (err instanceof ServerErrorAnswer) return err.response;
        throw this.toUpstreamError(err, timeoutMs);
      })
      .finally(() => this.release(request.client));
    if (request.timeoutMs === undefined || request.timeoutMs >= timeoutMs) return call;
    return this.within(call, Math.max(1, request.timeoutMs));
  }

  /**
   * A caller's deadline shorter than the upstream's own (a part of a composed
   * answer): the caller stops waiting when it passes, but the call goes on to
   * the upstream's own deadline and is judged by it. The caller's budget
   * running out says nothing about the upstream's health.
   */
  private within(call: Promise<UpstreamResponse>, ms: number): Promise<UpstreamResponse> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        call.catch(() => undefined);
        reject(new UpstreamTimeoutError(this.name, `${this.name} did not answer within the caller's ${ms} ms`, 1));
      }, ms);
      call.then(
        (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'halfOpen';
    return 'closed';
  }

  /** Seconds until the breaker probes the upstream again; 1 when it is not open. */
  retryAfterSeconds(): number {
    if (!this.breaker.opened) return 1;
    const remaining = this.openedAt + this.options.resetTimeoutMs - Date.now();
    return Math.max(1, Math.ceil(remaining / 1000));
  }

  /** How long a read may take now. */
  get currentReadTimeoutMs(): number {
    return this.readTimeoutMs;
  }

  snapshot(): BreakerSnapshot {
    const stats = this.breaker.stats;
    const o = this.options;
    const p99 = this.latencies.percentile(99) ?? 0;
    return {
      state: this.state,
      stats: {
        windowMs: o.rollingWindowMs,
        fires: stats.fires,
        successes: stats.successes,
        failures: stats.failures,
        rejects: stats.rejects,
        timeouts: stats.timeouts,
        bulkheadRejections: stats.semaphoreRejections,
        consecutiveFailures: this.consecutiveFailures,
        inFlight: this.inFlight,
        latencyMeanMs: Math.round((this.latencies.mean() ?? 0) * 100) / 100,
        latencyP99Ms: Math.round(p99 * 100) / 100,
      },
      settings: {
        readTimeoutMs: this.readTimeoutMs,
        readTimeoutFloorMs: o.readTimeout.floorMs,
        readTimeoutMaxMs: o.readTimeout.maxMs,
        writeTimeoutMs: o.writeTimeoutMs,
        capacity: o.capacity,
        connections: o.connections,
        errorThresholdPercentage: o.errorThresholdPercentage,
        volumeThreshold: o.volumeThreshold,
        consecutiveFailures: o.consecutiveFailures,
        resetTimeoutMs: o.resetTimeoutMs,
      },
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

  /** Takes a bulkhead slot, or refuses at once: 429-worthy when this client holds its share already, 503 otherwise. */
  private admit(client: string | undefined): void {
    if (this.inFlight >= this.options.capacity) {
      // Counted in the breaker's window as a rejection, never as a failure: opossum's own listener only increments.
      this.breaker.emit('semaphoreLocked');
      const held = client === undefined ? 0 : (this.clients.get(client) ?? 0);
      if (held > 0 && held >= this.options.capacity * this.options.clientShare) {
        throw new ClientOverShareError(this.name, `too many requests of yours are in flight to ${this.name} (${held})`, 1);
      }
      throw new BulkheadFullError(this.name, `${this.name} is at capacity (${this.options.capacity} calls in flight)`, 1);
    }
    this.inFlight++;
    if (client !== undefined) this.clients.set(client, (this.clients.get(client) ?? 0) + 1);
  }

  private release(client: string | undefined): void {
    this.inFlight--;
    if (client === undefined) return;
    const held = (this.clients.get(client) ?? 1) - 1;
    if (held === 0) this.clients.delete(client);
    else this.clients.set(client, held);
  }

  /**
   * One request on the pool, at the dispatcher level: no AbortController,
   * body stream or event emitter per call (undici's request() makes all
   * three), just the chunks gathered and the call's own deadline.
   */
  private send({ request, timeoutMs, measured }: Call): Promise<UpstreamResponse> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      let controller: Dispatcher.DispatchController | undefined;
      let done = false;
      let status = 0;
      let headers: Record<string, string | string[] | undefined> = {};
      const chunks: Buffer[] = [];
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        // Counted in the breaker's window like opossum's own timeouts (its listener only increments).
        this.breaker.emit('timeout');
        const err = new CallTimedOut(`no answer within ${timeoutMs} ms`);
        // Still queued for a socket: aborted as soon as it gets one (onRequestStart).
        controller?.abort(err);
        reject(err);
      }, timeoutMs);
      this.pool.dispatch(
        { method: request.method as Dispatcher.HttpMethod, path: `${this.basePath}${request.path}`, headers: request.headers, body: request.body ?? null },
        {
          onRequestStart: (c) => {
            if (done) c.abort(new CallTimedOut('abandoned: its deadline passed while it waited for a socket'));
            else controller = c;
          },
          onResponseStart: (_c, statusCode, responseHeaders) => {
            // 1xx answers are informational; the real one follows.
            if (statusCode < 200) return;
            status = statusCode;
            headers = responseHeaders;
          },
          onResponseData: (_c, chunk) => {
            chunks.push(chunk);
          },
          onResponseEnd: () => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            const response: UpstreamResponse = { status, headers, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) };
            if (UNAVAILABLE_ANSWERS.has(status)) return reject(new ServerErrorAnswer(response));
            if (measured) this.measure(performance.now() - started);
            resolve(response);
          },
          onResponseError: (_c, err) => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            reject(err);
          },
        },
      );
    });
  }

  private measure(ms: number): void {
    this.latencies.record(ms);
    if (++this.sinceRecompute < RECOMPUTE_EVERY) return;
    this.sinceRecompute = 0;
    const { floorMs, maxMs } = this.options.readTimeout;
    const p99 = this.latencies.count >= MIN_LATENCY_SAMPLES ? this.latencies.percentile(99) : undefined;
    this.readTimeoutMs = p99 === undefined ? maxMs : Math.min(maxMs, Math.max(floorMs, Math.ceil(READ_TIMEOUT_P99_FACTOR * p99)));
  }

  /** The half-open trial: the upstream's liveness, through the breaker, so its answer closes or reopens it. */
  private async probe(): Promise<void> {
    try {
      await this.breaker.fire({ request: { method: 'GET', path: this.probePath }, timeoutMs: this.readTimeoutMs, measured: false });
    } catch {
      // A failed probe has reopened the breaker; the next one follows after resetTimeoutMs.
    }
  }

  private toUpstreamError(err: unknown, timeoutMs: number): UpstreamError {
    if (err instanceof CallTimedOut) return new UpstreamTimeoutError(this.name, `${this.name} did not answer within ${timeoutMs} ms`, 1);
    if (err instanceof Error && CircuitBreaker.isOurError(err) && (err as { code?: string }).code === 'EOPENBREAKER') {
      return new CircuitOpenError(this.name, `${this.name} is unavailable (circuit open)`, this.retryAfterSeconds());
    }
    // The cause (an address, a socket error) stays out of the message, which clients may see.
    return new UpstreamUnreachableError(this.name, `${this.name} is unreachable`, this.retryAfterSeconds(), { cause: err });
  }

  private emit(event: BreakerEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
