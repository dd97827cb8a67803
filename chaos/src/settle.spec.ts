import type { SettleProbe } from './invariants/collect-facts';
import { describeProbe, isSettled, waitUntilSettled } from './settle';

const quiet: SettleProbe = { openOrders: 0, movingDeliveries: 0, unpublished: 0, lag: 0 };

describe('waiting for the platform to settle', () => {
  it('is settled only with nothing open, moving, unpublished or unconsumed', () => {
    expect(isSettled(quiet)).toBe(true);
    for (const busy of [{ openOrders: 1 }, { movingDeliveries: 1 }, { unpublished: 1 }, { lag: 1 }]) expect(isSettled({ ...quiet, ...busy })).toBe(false);
    expect(describeProbe({ openOrders: 3, movingDeliveries: 2, unpublished: 1, lag: 7 })).toBe('3 order(s) open, 2 deliveries moving, 1 event(s) unpublished, consumer lag 7');
  });

  it('needs two quiet probes in a row, and survives a probe that fails', async () => {
    const answers: Array<SettleProbe | Error> = [{ ...quiet, lag: 5 }, quiet, new Error('broker down'), quiet, { ...quiet, openOrders: 1 }, quiet, quiet];
    const lines: string[] = [];
    let calls = 0;
    const result = await waitUntilSettled(
      async () => {
        const next = answers[calls++];
        if (next instanceof Error) throw next;
        return next;
      },
      { timeoutMs: 10_000, intervalMs: 1, log: (l) => lines.push(l) },
    );
    expect(result.settled).toBe(true);
    expect(calls).toBe(7);
    expect(lines).toContain('settling: probe failed (broker down); retrying');
  });

  it('gives up when the time is up and reports the last probe', async () => {
    const result = await waitUntilSettled(async () => ({ ...quiet, openOrders: 2 }), { timeoutMs: 50, intervalMs: 5, log: () => undefined });
    expect(result.settled).toBe(false);
    expect(result.last.openOrders).toBe(2);
  });
});
