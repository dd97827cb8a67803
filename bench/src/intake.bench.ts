import autocannon from 'autocannon';
import type { ServiceName } from '@shop/testing';
import { BenchPlatform } from './bench-platform';
import { appProcesses, idleRss, RssSampler } from './footprint';
import { customerTokens, SHIPPING_ADDRESS, seedProducts, ShopClient } from './load';
import { pgbenchSimpleUpdate, PgbenchOptions } from './pgbench';

export interface IntakeOptions {
  seconds: number;
  warmupSeconds: number;
  /** Connection counts tried in turn, ascending; the figure is the best one's. */
  connections: number[];
  customers: number;
  products: number;
  pgbench: PgbenchOptions;
  /** Quiet time before the idle footprint is read. */
  settleMs: number;
  /** Services to run; by default all five, so every order's downstream work competes with the intake, as it would. */
  apps?: ServiceName[];
}

export interface IntakeLevel {
  connections: number;
  acceptedPerSecond: number;
  accepted: number;
  seconds: number;
  /** Other answers by status, and errors without an answer. */
  rejected: Record<string, number>;
  p50: number;
  p99: number;
}

/** The peak over the connection counts tried, with every level for the raw report. */
export interface IntakeResult extends IntakeLevel {
  levels: IntakeLevel[];
  pgbenchTps: number;
  platformStartSeconds: number;
  idleRss: Record<string, number>;
  loadRss: Record<string, number>;
}

function intakeLevel(connections: number, result: autocannon.Result): IntakeLevel {
  const codes = result.statusCodeStats as unknown as Record<string, { count: number }>;
  const accepted = (codes['201']?.count ?? 0) + (codes['202']?.count ?? 0);
  const rejected: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(codes)) if (code !== '201' && code !== '202') rejected[code] = count;
  if (result.errors) rejected.errors = result.errors;
  if (result.timeouts) rejected.timeouts = result.timeouts;
  return { connections, acceptedPerSecond: accepted / result.duration, accepted, seconds: result.duration, rejected, p50: result.latency.p50, p99: result.latency.p99 };
}

/**
 * Order intake at saturation: clients each POST /api/orders through the
 * gateway as fast as answers come (several customers, one product each), on
 * the whole platform, whose consumers react to every order meanwhile; first
 * with few clients, then more, until the accepted rate stops growing (beyond
 * the knee the gateway sheds load with 503s by design). The figure is the
 * peak. Beside it, in the same round, pgbench's simple-update on the same
 * Postgres. Accepted = 201/202.
 */
export async function intakeRound(options: IntakeOptions, log: (line: string) => void): Promise<IntakeResult> {
  const bench = await BenchPlatform.start({ apps: options.apps });
  try {
    const client = new ShopClient(bench.gatewayUrl, 8);
    const customers = await customerTokens(client, options.customers);
    const products = await seedProducts(client, options.products, 1_000_000_000, customers[0]);
    await client.close();
    const processes = appProcesses();
    const idle = await idleRss(processes, options.settleMs);

    const pgbenchTps = await pgbenchSimpleUpdate(bench.platform.db.adminUrl, options.pgbench);
    log(`pgbench -N, ${options.pgbench.clients} clients, ${options.pgbench.seconds} s: ${Math.round(pgbenchTps)} tps`);

    let n = 0;
    const load = (connections: number, seconds: number) =>
      autocannon({
        url: bench.gatewayUrl,
        connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: '/api/orders',
            setupRequest: (req) => {
              const i = n++;
              return {
                ...req,
                headers: { 'content-type': 'application/json', authorization: `Bearer ${customers[i % customers.length].token}` },
                body: JSON.stringify({
                  items: [{ productId: products[i % products.length].id, quantity: 1 }],
                  paymentToken: 'tok_visa',
                  shippingAddress: SHIPPING_ADDRESS,
                }),
              };
            },
          },
        ],
      });
    const sampler = new RssSampler(processes).start();
    try {
      if (options.warmupSeconds > 0) await load(options.connections[0], options.warmupSeconds);
      let best: IntakeLevel | undefined;
      const levels: IntakeLevel[] = [];
      for (const connections of options.connections) {
        const level = intakeLevel(connections, await load(connections, options.seconds));
        levels.push(level);
        log(
          `${connections} connections: ${Math.round(level.acceptedPerSecond)} accepted orders/s (${level.accepted} in ${level.seconds.toFixed(1)} s), ` +
            `p50 ${level.p50} ms, p99 ${level.p99} ms` +
            (Object.keys(level.rejected).length ? `, not accepted: ${JSON.stringify(level.rejected)}` : ''),
        );
        if (!best || level.acceptedPerSecond > best.acceptedPerSecond) best = level;
        // Past the knee: more clients only queue, time out and trip the gateway's breaker.
        if (level.acceptedPerSecond < best.acceptedPerSecond * 0.8) break;
        // A 503 may mean an open breaker: let it close (BREAKER_RESET_TIMEOUT_MS, 5 s) before the next level.
        if (level.rejected['503']) await new Promise((r) => setTimeout(r, 6_000));
      }
      const peak = best as IntakeLevel;
      return { ...peak, levels, pgbenchTps, platformStartSeconds: bench.startSeconds, idleRss: idle, loadRss: sampler.stop() };
    } finally {
      sampler.stop();
    }
  } finally {
    await bench.stop();
  }
}
