import autocannon from 'autocannon';
import { BenchPlatform } from './bench-platform';
import { appProcesses, idleRss, RssSampler } from './footprint';
import { customerTokens, SHIPPING_ADDRESS, seedProducts, ShopClient } from './load';
import { pgbenchSimpleUpdate, PgbenchOptions } from './pgbench';

export interface IntakeOptions {
  seconds: number;
  warmupSeconds: number;
  connections: number;
  customers: number;
  products: number;
  pgbench: PgbenchOptions;
  /** Quiet time before the idle footprint is read. */
  settleMs: number;
}

export interface IntakeResult {
  acceptedPerSecond: number;
  accepted: number;
  /** Other answers by status, and errors without an answer. */
  rejected: Record<string, number>;
  p50: number;
  p99: number;
  pgbenchTps: number;
  platformStartSeconds: number;
  idleRss: Record<string, number>;
  loadRss: Record<string, number>;
}

/**
 * Order intake at saturation: `connections` clients each POST /api/orders
 * through the gateway as fast as answers come (several customers, one random
 * product each), on the whole platform, whose consumers react to every order
 * meanwhile. Beside it, in the same round, pgbench's simple-update on the
 * same Postgres. Accepted = 201/202.
 */
export async function intakeRound(options: IntakeOptions, log: (line: string) => void): Promise<IntakeResult> {
  const bench = await BenchPlatform.start();
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
    const load = (seconds: number) =>
      autocannon({
        url: bench.gatewayUrl,
        connections: options.connections,
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
      if (options.warmupSeconds > 0) await load(options.warmupSeconds);
      const result = await load(options.seconds);
      const codes = result.statusCodeStats as unknown as Record<string, { count: number }>;
      const accepted = (codes['201']?.count ?? 0) + (codes['202']?.count ?? 0);
      const rejected: Record<string, number> = {};
      for (const [code, { count }] of Object.entries(codes)) if (code !== '201' && code !== '202') rejected[code] = count;
      if (result.errors) rejected.errors = result.errors;
      if (result.timeouts) rejected.timeouts = result.timeouts;
      const acceptedPerSecond = accepted / result.duration;
      log(
        `${Math.round(acceptedPerSecond)} accepted orders/s (${accepted} in ${result.duration.toFixed(1)} s, ${options.connections} connections), ` +
          `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms` +
          (Object.keys(rejected).length ? `, not accepted: ${JSON.stringify(rejected)}` : ''),
      );
      return {
        acceptedPerSecond,
        accepted,
        rejected,
        p50: result.latency.p50,
        p99: result.latency.p99,
        pgbenchTps,
        platformStartSeconds: bench.startSeconds,
        idleRss: idle,
        loadRss: sampler.stop(),
      };
    } finally {
      sampler.stop();
    }
  } finally {
    await bench.stop();
  }
}
