import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@shop/platform/http';
import { BreakerEvent, UpstreamClient, UpstreamRegistry } from '@shop/platform/resilience';
import type { GatewayConfig } from '../config/gateway.config';
import { GATEWAY_CONFIG, OperatorLane, UPSTREAM_NAMES, UpstreamName, upstreamOptions } from '../upstreams/upstreams';
import type { CanaryBody, ReleaseReport, ReleaseView } from './release.schemas';

type Track = 'stable' | 'canary';

/** What the breaker of one track counted since the canary was set. */
class TrackCounts {
  readonly events: Record<BreakerEvent, number> = { fire: 0, success: 0, failure: 0, reject: 0, timeout: 0, bulkheadReject: 0, open: 0, halfOpen: 0, close: 0 };
  add(event: BreakerEvent): void {
    this.events[event]++;
  }
}

interface Canary {
  url: string;
  version: string;
  weight: number;
  since: Date;
  client: UpstreamClient;
  unsubscribe: () => void;
}

/**
 * The gateway's side of a canary release: per upstream, a canary instance
 * beside the stable one, taking `weight` percent of the gateway's calls to
 * that service (set and cleared by the release tool through the admin API,
 * kept in memory only: a restarted gateway sends everything to the stable
 * instance, the safe default). The canary has its own pool, bulkhead and
 * breaker, so a bad canary opens its own breaker and never the stable one's;
 * while its breaker is open (or probing) its share goes to the stable one.
 * Each track's calls, failures and breaker trips are counted since the canary
 * was set, for the confidence check, and as metrics labelled by track and
 * version. The release tool's last report is kept here for the console.
 */
@Injectable()
export class CanaryRouter implements OnModuleDestroy {
  private readonly logger = new Logger('releases');
  private readonly canaries = new Map<UpstreamName, Canary>();
  private readonly reports = new Map<UpstreamName, ReleaseReport>();
  private readonly counts = new Map<string, TrackCounts>();
  /** Error diffusion: each call adds the weight; past 100 the call goes to the canary. An exact share, no randomness. */
  private readonly carry = new Map<UpstreamName, number>();
  /** Every event per upstream, track and version, for the metric; plain numbers, handed to prom-client when scraped. */
  private readonly totals = new Map<string, { labels: Record<string, string>; total: number; reported: number }>();

  constructor(
    private readonly upstreams: UpstreamRegistry,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    const totals = this.totals;
    new Counter({
      name: 'gateway_upstream_track_events_total',
      help: 'Calls, outcomes and breaker changes per upstream and release track (stable, or a canary and its version)',
      labelNames: ['upstream', 'track', 'version', 'event'],
      registers: [registry],
      collect() {
        for (const entry of totals.values()) {
          this.inc(entry.labels, entry.total - entry.reported);
          entry.reported = entry.total;
        }
      },
    });
    for (const name of UPSTREAM_NAMES) {
      this.counts.set(`${name}|stable`, new TrackCounts());
      this.upstreams.get(name).onEvent((event) => this.count(name, 'stable', 'stable', event));
    }
  }

  /**
   * The instance this call goes to: the canary for its share while its breaker lets calls through, else the stable one.
   * An operator lane's calls (dead letters, messaging status, replays, rebuilds) always go to the stable instance
   * through the lane's own pool and breaker: they are not customers' traffic to judge a build by, and a canary must
   * not take them out of their lane into the breaker customers' calls use.
   */
  pick(name: UpstreamName | OperatorLane): UpstreamClient {
    if (!isUpstreamName(name)) return this.upstreams.get(name);
    const canary = this.canaries.get(name);
    if (!canary || canary.weight === 0 || canary.client.state !== 'closed') return this.upstreams.get(name);
    const carry = (this.carry.get(name) ?? 0) + canary.weight;
    if (carry < 100) {
      this.carry.set(name, carry);
      return this.upstreams.get(name);
    }
    this.carry.set(name, carry - 100);
    return canary.client;
  }

  /** Sets (or changes) the upstream's canary; a new URL or version gets a new client, so counts start afresh. */
  async setCanary(name: UpstreamName, body: CanaryBody): Promise<ReleaseView> {
    const current = this.canaries.get(name);
    if (current && current.url === body.url && current.version === body.version) {
      current.weight = body.weight;
      this.logger.log(`${name}: canary ${body.version} now takes ${body.weight}% of the calls`);
      return this.view(name);
    }
    await this.clearCanary(name);
    const options = upstreamOptions(this.config).find((o) => o.name === name);
    if (!options) throw new Error(`releases: no upstream ${name}`);
    const client = new UpstreamClient({ ...options, baseUrl: body.url });
    const canary: Canary = { ...body, since: new Date(), client, unsubscribe: () => undefined };
    this.counts.set(`${name}|stable`, new TrackCounts());
    this.counts.set(`${name}|canary`, new TrackCounts());
    canary.unsubscribe = client.onEvent((event) => {
      this.count(name, 'canary', body.version, event);
      if (event === 'open') this.logger.warn(`${name}: the canary ${body.version}'s breaker opened; its share goes to the stable instance`);
    });
    this.carry.set(name, 0);
    this.canaries.set(name, canary);
    this.logger.log(`${name}: canary ${body.version} at ${body.url} takes ${body.weight}% of the calls`);
    return this.view(name);
  }

  /** Sends every call to the stable instance again and closes the canary's connections once its calls have ended. */
  async clearCanary(name: UpstreamName): Promise<void> {
    const canary = this.canaries.get(name);
    if (!canary) return;
    this.canaries.delete(name);
    canary.unsubscribe();
    this.logger.log(`${name}: canary ${canary.version} removed; every call goes to the stable instance`);
    await canary.client.close();
  }

  report(name: UpstreamName, report: ReleaseReport): ReleaseView {
    this.reports.set(name, report);
    return this.view(name);
  }

  views(): ReleaseView[] {
    return UPSTREAM_NAMES.map((name) => this.view(name));
  }

  view(name: UpstreamName): ReleaseView {
    const canary = this.canaries.get(name);
    const stable = this.upstreams.get(name);
    return {
      upstream: name,
      stable: { url: this.config[`${name.toUpperCase()}_URL` as 'ORDER_URL'], version: this.reports.get(name)?.stableVersion ?? null, ...this.track(name, 'stable', stable) },
      canary: canary ? { url: canary.url, version: canary.version, weight: canary.weight, since: canary.since.toISOString(), ...this.track(name, 'canary', canary.client) } : null,
      report: this.reports.get(name) ?? null,
    };
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.canaries.keys()].map((name) => this.clearCanary(name)));
  }

  private track(name: UpstreamName, track: Track, client: UpstreamClient) {
    const e = (this.counts.get(`${name}|${track}`) ?? new TrackCounts()).events;
    return { state: client.state, calls: e.fire, failures: e.failure, timeouts: e.timeout, rejected: e.reject, opened: e.open, latencyP99Ms: client.snapshot().stats.latencyP99Ms };
  }

  private count(name: UpstreamName, track: Track, version: string, event: BreakerEvent): void {
    this.counts.get(`${name}|${track}`)?.add(event);
    const key = `${name}|${track}|${version}|${event}`;
    let entry = this.totals.get(key);
    if (!entry) this.totals.set(key, (entry = { labels: { upstream: name, track, version, event }, total: 0, reported: 0 }));
    entry.total++;
  }
}

const isUpstreamName = (name: string): name is UpstreamName => (UPSTREAM_NAMES as readonly string[]).includes(name);
