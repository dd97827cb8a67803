import { BreakerSnapshot, UpstreamClient, UpstreamOptions } from './upstream-client';

/** The upstreams of a process, each with its breaker, created once at start and shared by every request. */
export class UpstreamRegistry {
  private readonly clients = new Map<string, UpstreamClient>();

  constructor(upstreams: UpstreamOptions[]) {
    for (const options of upstreams) {
      if (this.clients.has(options.name)) throw new Error(`resilience: upstream ${options.name} is defined twice`);
      this.clients.set(options.name, new UpstreamClient(options));
    }
  }

  get(name: string): UpstreamClient {
    const client = this.clients.get(name);
    if (!client) throw new Error(`resilience: no upstream named ${name}`);
    return client;
  }

  all(): UpstreamClient[] {
    return [...this.clients.values()];
  }

  snapshot(): Record<string, BreakerSnapshot> {
    return Object.fromEntries(this.all().map((c) => [c.name, c.snapshot()]));
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((c) => c.close()));
  }
}
