import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import proxyAddr from '@fastify/proxy-addr';

/** The names proxy-addr knows for address ranges. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
/** A host name as DNS spells it: labels of letters, digits and hyphens. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
/** How often host names are looked up again: a proxy restarted with a new address is believed again within this. */
export const RESOLVE_EVERY_MS = 10_000;

export type Resolve = (host: string) => Promise<string[]>;

const resolveAll: Resolve = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/**
 * `TRUSTED_PROXIES` split into what proxy-addr matches itself (addresses,
 * CIDRs, range names) and host names, or the first entry that is none of
 * these.
 */
export function parseTrustedProxies(spec: string): { ranges: string[]; hosts: string[] } | { invalid: string } {
  const ranges: string[] = [];
  const hosts: string[] = [];
  for (const entry of spec.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [address, bits, ...rest] = entry.split('/');
    const width = isIP(address) === 4 ? 32 : 128;
    if (RANGE_NAMES.has(entry) || (isIP(address) && rest.length === 0 && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= width)))) ranges.push(entry);
    else if (bits === undefined && HOST_NAME.test(entry) && !/^[\d.]+$/.test(entry)) hosts.push(entry.toLowerCase());
    else return { invalid: entry };
  }
  return { ranges, hosts };
}

/**
 * Whose X-Forwarded-For the gateway believes, as Fastify's `trustProxy`
 * function. Addresses, CIDRs and range names are matched by proxy-addr, as a
 * plain `trustProxy` string would be. Host names (a proxy's container name in
 * compose, `storefront`) are looked up now and every RESOLVE_EVERY_MS: a
 * container's address is known only once it runs, and changes when it is
 * recreated. A name that does not resolve (yet) is trusted with no address,
 * never with an old one guessed.
 */
export class TrustedProxies {
  private readonly matchRange: (address: string, hop: number) => boolean;
  private readonly hosts: string[];
  private resolved = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(
    spec: string,
    private readonly resolve: Resolve = resolveAll,
  ) {
    const parsed = parseTrustedProxies(spec);
    if ('invalid' in parsed) throw new Error(`TRUSTED_PROXIES: ${parsed.invalid} is no address, CIDR, range name or host name`);
    this.matchRange = parsed.ranges.length ? proxyAddr.compile(parsed.ranges) : () => false;
    this.hosts = parsed.hosts;
  }

  /** Fastify calls this for the connecting address (hop 0), then for each X-Forwarded-For entry from the right. */
  readonly trust = (address: string, hop: number): boolean => this.matchRange(address, hop) || this.resolved.has(unmapped(address));

  /** Looks the host names up, now and then every RESOLVE_EVERY_MS until close(). */
  async start(): Promise<void> {
    if (this.hosts.length === 0) return;
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), RESOLVE_EVERY_MS);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** The addresses the host names have now (for the tests and the logs). */
  addresses(): string[] {
    return [...this.resolved].sort();
  }

  async refresh(): Promise<void> {
    const found = await Promise.all(this.hosts.map((host) => this.resolve(host).catch(() => [] as string[])));
    this.resolved = new Set(found.flat().map(unmapped));
  }
}

/** A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d. */
function unmapped(address: string): string {
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}
