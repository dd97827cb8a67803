import { admissions, decideWaitingRoom, estimateWaitSeconds, INITIAL_WAITING_ROOM, LifecycleLoad, WaitingRoomState } from './waiting-room';

const tuning = { targetSeconds: 0.5, closeAfterSeconds: 10, minLimit: 2, minSample: 10 };
const t0 = new Date('2026-12-05T10:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const closed: WaitingRoomState = { ...INITIAL_WAITING_ROOM, changedAt: t0 };
const load = (l: Partial<LifecycleLoad>): LifecycleLoad => ({ inFlight: 0, oldestInFlightSeconds: 0, confirmP90Seconds: 0.1, confirmed: 40, completedPerSecond: 20, waiting: 0, ...l });

describe('the waiting room', () => {
  it('stays closed while the lifecycle meets its target', () => {
    expect(decideWaitingRoom(closed, load({ inFlight: 30 }), tuning, at(1)).open).toBe(false);
  });

  it('opens when placed → confirmed p90 is over the target, letting through what completes in one target', () => {
    const open = decideWaitingRoom(closed, load({ confirmP90Seconds: 1.2, completedPerSecond: 40, inFlight: 200 }), tuning, at(1));
    expect(open).toMatchObject({ open: true, limit: 20, changedAt: at(1) });
    expect(open.reason).toMatch(/p90 is 1.2 s, over the 0.5 s target/);
  });

  it('opens when orders pile up and none completes (stuck, not slow)', () => {
    expect(decideWaitingRoom(closed, load({ confirmP90Seconds: null, confirmed: 0, completedPerSecond: 0, inFlight: 10, oldestInFlightSeconds: 3 }), tuning, at(1)).open).toBe(true);
    // a few old orders held by an outage do not open it
    expect(decideWaitingRoom(closed, load({ confirmP90Seconds: null, confirmed: 0, completedPerSecond: 0, inFlight: 9, oldestInFlightSeconds: 30 }), tuning, at(1)).open).toBe(false);
  });

  it('does not take a few slow confirmations for load', () => {
    expect(decideWaitingRoom(closed, load({ confirmP90Seconds: 4, confirmed: 9, completedPerSecond: 4.5 }), tuning, at(1)).open).toBe(false);
    expect(decideWaitingRoom(closed, load({ confirmP90Seconds: 4, confirmed: 10, completedPerSecond: 5 }), tuning, at(1)).open).toBe(true);
  });

  it('shrinks its limit while the target is missed and grows it while the limit binds and the target is met', () => {
    const open = { ...closed, open: true, limit: 20 };
    expect(decideWaitingRoom(open, load({ confirmP90Seconds: 0.9, inFlight: 20, waiting: 50 }), tuning, at(1)).limit).toBe(15);
    expect(decideWaitingRoom(open, load({ confirmP90Seconds: 0.2, inFlight: 19, waiting: 50 }), tuning, at(1)).limit).toBe(22);
    expect(decideWaitingRoom({ ...open, limit: 2 }, load({ confirmP90Seconds: 5, inFlight: 2, waiting: 50 }), tuning, at(1)).limit).toBe(2);
  });

  it('closes only once demand has fitted for closeAfterSeconds (hysteresis)', () => {
    let room: WaitingRoomState = { ...closed, open: true, limit: 20 };
    room = decideWaitingRoom(room, load({ inFlight: 3 }), tuning, at(0));
    expect(room).toMatchObject({ open: true, calmSince: at(0) });
    room = decideWaitingRoom(room, load({ inFlight: 3 }), tuning, at(9));
    expect(room.open).toBe(true);
    // somebody waited: the calm starts again
    room = decideWaitingRoom(room, load({ inFlight: 3, waiting: 1 }), tuning, at(9.5));
    expect(room.calmSince).toBeNull();
    room = decideWaitingRoom(room, load({ inFlight: 3 }), tuning, at(10));
    room = decideWaitingRoom(room, load({ inFlight: 3 }), tuning, at(19.9));
    expect(room.open).toBe(true);
    room = decideWaitingRoom(room, load({ inFlight: 3 }), tuning, at(20));
    expect(room).toMatchObject({ open: false, changedAt: at(20) });
  });

  it('obeys an operator whatever it measures', () => {
    expect(decideWaitingRoom({ ...closed, mode: 'open' }, load({}), tuning, at(1))).toMatchObject({ open: true, reason: 'opened by an operator' });
    expect(decideWaitingRoom({ ...closed, open: true, mode: 'closed' }, load({ confirmP90Seconds: 9 }), tuning, at(1))).toMatchObject({ open: false });
  });

  it('admits up to the free in-flight places, at an operator rate, or the whole line once closed', () => {
    const open = { ...closed, open: true, limit: 10 };
    expect(admissions(open, { inFlight: 7, waiting: 50 }, 0)).toBe(3);
    expect(admissions(open, { inFlight: 12, waiting: 50 }, 0)).toBe(0);
    expect(admissions({ ...open, ratePerSecond: 4 }, { inFlight: 0, waiting: 50 }, 2.5)).toBe(2);
    expect(admissions(closed, { inFlight: 99, waiting: 7 }, 0)).toBe(7);
  });

  it('estimates the wait from the place and the rate the line moved at', () => {
    expect(estimateWaitSeconds(30, { admitRate: 10, ratePerSecond: null }, 5)).toBe(3);
    expect(estimateWaitSeconds(30, { admitRate: 0, ratePerSecond: null }, 5)).toBe(6);
    expect(estimateWaitSeconds(30, { admitRate: 10, ratePerSecond: 2 }, 5)).toBe(15);
  });
});
