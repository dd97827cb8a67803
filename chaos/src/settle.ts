import type { SettleProbe } from './invariants/collect-facts';

export interface SettleResult {
  settled: boolean;
  ms: number;
  last: SettleProbe;
  /** When it did not settle: what each service's readiness said then (which consumer, relay or database is stuck). */
  readiness?: string[];
}

export function isSettled(p: SettleProbe): boolean {
  return p.openOrders === 0 && p.movingDeliveries === 0 && p.unpublished === 0 && p.lag === 0;
}

export function describeProbe(p: SettleProbe): string {
  return `${p.openOrders} order(s) open, ${p.movingDeliveries} deliveries moving, ${p.unpublished} event(s) unpublished, consumer lag ${p.lag}`;
}

/**
 * Polls until the platform is quiet twice in a row (one quiet probe could
 * fall between a commit and the next publish), or the time is up. Prints
 * progress so a slow settle is visible while it happens.
 */
export async function waitUntilSettled(
  probe: () => Promise<SettleProbe>,
  options: { timeoutMs: number; intervalMs?: number; progressEveryMs?: number; log: (line: string) => void },
): Promise<SettleResult> {
  const started = Date.now();
  let quiet = 0;
  let lastLog = started;
  let last: SettleProbe = { openOrders: -1, movingDeliveries: -1, unpublished: -1, lag: -1 };
  while (Date.now() - started < options.timeoutMs) {
    try {
      last = await probe();
      quiet = isSettled(last) ? quiet + 1 : 0;
      if (quiet >= 2) return { settled: true, ms: Date.now() - started, last };
    } catch (err) {
      // The broker may still be coming back; try again at the next poll.
      quiet = 0;
      options.log(`settling: probe failed (${(err as Error).message}); retrying`);
    }
    if (Date.now() - lastLog >= (options.progressEveryMs ?? 5_000)) {
      lastLog = Date.now();
      options.log(`settling for ${((Date.now() - started) / 1000).toFixed(0)} s: ${describeProbe(last)}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 1_000));
  }
  return { settled: false, ms: Date.now() - started, last };
}
