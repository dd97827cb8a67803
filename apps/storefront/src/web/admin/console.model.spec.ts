import { age, count, describeCounts, isUuid, READ_MODELS, type Release, releaseInProgress, releasesToShow, SERVICES } from './console.model';

describe('the console model', () => {
  it('names every service the admin routes take, and the read models each keeps', () => {
    expect(SERVICES).toEqual(['catalog', 'order', 'payment', 'delivery', 'review']);
    expect(READ_MODELS.map((m) => `${m.name}@${m.service}`)).toEqual(['product-snapshots@order', 'ratings@catalog']);
  });

  it('counts in words and shows ages in the largest fitting unit', () => {
    expect([count(0, 'event'), count(1, 'event'), count(2, 'dead letter')]).toEqual(['0 events', '1 event', '2 dead letters']);
    expect([age(0), age(12.4), age(600), age(7_200)]).toEqual(['0 s', '12 s', '10 min', '2 h']);
  });

  it("puts a rebuild's counts on one line", () => {
    expect(describeCounts({ events: 12, updated: 3 })).toBe('events 12, updated 3');
    expect(describeCounts({})).toBe('nothing to report');
    expect(describeCounts({ fetched: 4, updated: 2, nextCursor: null })).toBe('fetched 4, updated 2');
  });

  it('takes an order id only when it is a UUID', () => {
    expect(isUuid(' 0b6f5c1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f ')).toBe(true);
    expect(isUuid('0b6f5c1e')).toBe(false);
    expect(isUuid('')).toBe(false);
  });

  it('shows the releases in progress and the last one that ended, and tells which are still deciding', () => {
    const track = { url: 'http://127.0.0.1:3003', version: null, state: 'closed' as const, calls: 0, failures: 0, timeouts: 0, rejected: 0, opened: 0, latencyP99Ms: 0 };
    const report = { version: 'b', phase: 'rolled-back' as const, weight: 25, startedAt: '2026-12-01T10:00:00.000Z', windowSeconds: 60, elapsedSeconds: 14, reasons: [], signals: [] };
    const none: Release = { upstream: 'catalog', stable: track, canary: null, report: null };
    const judging: Release = { upstream: 'payment', stable: track, canary: { ...track, version: 'b', weight: 25, since: '2026-12-01T10:00:00.000Z' }, report: { ...report, phase: 'judging' } };
    const ended: Release = { upstream: 'order', stable: track, canary: null, report };
    expect(releasesToShow([none, judging, ended]).map((r) => r.upstream)).toEqual(['payment', 'order']);
    expect([releaseInProgress(judging), releaseInProgress(ended)]).toEqual([true, false]);
  });
});
