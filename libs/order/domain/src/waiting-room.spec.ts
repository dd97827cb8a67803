import {
  admissions,
  decideWaitingRoom,
  directAllowance,
  earnTokens,
  estimateWaitSeconds,
  INITIAL_WAITING_ROOM,
  LifecycleLoad,
  lineRate,
  openForDemand,
  waitingToOpen,
  WaitingRoomState,
} from './waiting-room';

const tuning = { targetSeconds: 0.5, openAfterSeconds: 1, closeAfterSeconds: 10, minRate: 1, minSample: 10 };
const t0 = new Date('2026-12-05T10:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const closed: WaitingRoomState = { ...INITIAL_WAITING_ROOM, changedAt: t0 };
const open: WaitingRoomState = { ...closed, open: true, admitRate: 20 };
/** The room after the lifecycle measured `l` for openAfterSeconds. */
const afterASecondOf = (l: LifecycleLoad) => decideWaitingRoom(decideWaitingRoom(closed, l, tuning, at(0)), l, tuning, at(1));
const load = (l: Partial<LifecycleLoad>): LifecycleLoad => ({ inFlight: 2, oldestInFlightSeconds: 0.1, confirmP90Seconds: 0.1, confirmed: 40, completedPerSecond: 20, waiting: 0, ...l });

describe('the waiting room', () => {
  it('stays closed while the lifecycle meets its target', () => {
    expect(decideWaitingRoom(closed, load({ inFlight: 8 }), tuning, at(1)).open).toBe(false);
  });

  it('does not open for a burst the lifecycle clears within openAfterSeconds (hysteresis on the way in)', () => {
    // fifty orders placed at once, still over the target half a second later, cleared a second later
    const burst = load({ inFlight: 50, oldestInFlightSeconds: 1.2, confirmP90Seconds: 1.1, confirmed: 10, completedPerSecond: 30 });
    let room = decideWaitingRoom(closed, burst, tuning, at(0));
    expect(room).toMatchObject({ open: false, saturatedSince: at(0) });
    expect(room.reason).toMatch(/opens if that lasts 1 s/);
    room = decideWaitingRoom(room, burst, tuning, at(0.5));
    expect(room.open).toBe(false);
    room = decideWaitingRoom(room, load({}), tuning, at(1));
    expect(room).toMatchObject({ open: false, saturatedSince: null });
    // a second burst starts the count again
    room = decideWaitingRoom(room, burst, tuning, at(1.5));
    expect(decideWaitingRoom(room, burst, tuning, at(2.4)).open).toBe(false);
    expect(decideWaitingRoom(room, burst, tuning, at(2.5))).toMatchObject({ open: true, admitRate: 30, changedAt: at(2.5), saturatedSince: null });
  });

  it('lets checkouts through while it waits to open only as fast as the lifecycle completes them, and opens for the rest', () => {
    const spike = load({ inFlight: 80, oldestInFlightSeconds: 0.9, confirmP90Seconds: 0.8, confirmed: 12, completedPerSecond: 12 });
    const waiting = decideWaitingRoom(closed, spike, tuning, at(0));
    expect(waitingToOpen(waiting)).toBe(true);
    expect(waiting).toMatchObject({ open: false, admitRate: 12 });
    expect(waiting.reason).toMatch(/opens if that lasts 1 s, or once checkouts outrun the 12 orders\/s completed/);
    // one second of completions, never fewer than what counts as load
    expect(directAllowance(waiting, tuning)).toBe(12);
    expect(directAllowance({ ...waiting, admitRate: 3 }, tuning)).toBe(10);
    const opened = openForDemand(waiting, at(0.3));
    expect(opened).toMatchObject({ open: true, admitRate: 12, saturatedSince: null, changedAt: at(0.3) });
    expect(opened.reason).toMatch(/checkouts arrive faster than the 12 orders\/s the saturated lifecycle completes/);
    expect(waitingToOpen(opened)).toBe(false);
    // a closed room that is not saturated, or one an operator holds, does not wait to open
    expect(waitingToOpen(decideWaitingRoom(closed, load({}), tuning, at(0)))).toBe(false);
    expect(waitingToOpen(decideWaitingRoom({ ...closed, mode: 'closed' }, spike, tuning, at(0)))).toBe(false);
    // once the burst clears, it no longer waits and admits nothing
    expect(decideWaitingRoom(waiting, load({}), tuning, at(0.5))).toMatchObject({ open: false, admitRate: 0, saturatedSince: null });
  });

  it('opens when placed → confirmed p90 is over the target, admitting at the rate orders were completed', () => {
    const room = afterASecondOf(load({ confirmP90Seconds: 1.2, completedPerSecond: 40 }));
    expect(room).toMatchObject({ open: true, admitRate: 40, changedAt: at(1) });
    expect(room.reason).toMatch(/p90 is 1.2 s, over the 0.5 s target/);
  });

  it('opens when the orders in flight would take longer than the target (Little), before they are late', () => {
    const room = afterASecondOf(load({ inFlight: 60, oldestInFlightSeconds: 0.8, completedPerSecond: 40 }));
    expect(room.open).toBe(true);
    expect(room.reason).toMatch(/60 orders in flight at 40 completed\/s: 1.5 s each/);
  });

  it('stays closed when orders pile up and none completes: a stage is down, and checkout keeps taking orders through an outage', () => {
    const room = afterASecondOf(load({ confirmP90Seconds: null, confirmed: 0, completedPerSecond: 0, inFlight: 200, oldestInFlightSeconds: 60 }));
    expect(room.open).toBe(false);
    expect(room.reason).toMatch(/200 orders in flight and none completed lately .*a stage is down/);
  });

  it('holds an open room as it is through a stall: the rate does not move and it is not calm', () => {
    const stalled = load({ confirmP90Seconds: null, confirmed: 0, completedPerSecond: 0, inFlight: 50, oldestInFlightSeconds: 5, waiting: 0 });
    let room = decideWaitingRoom({ ...open, calmSince: at(0) }, stalled, tuning, at(1));
    expect(room).toMatchObject({ open: true, admitRate: 20, calmSince: null });
    room = decideWaitingRoom(room, stalled, tuning, at(30));
    expect(room).toMatchObject({ open: true, admitRate: 20 });
    // an operator's open room keeps its found rate too
    expect(decideWaitingRoom({ ...open, mode: 'open' }, { ...stalled, waiting: 40 }, tuning, at(1)).admitRate).toBe(20);
  });

  it('opens once a stage is back and the backlog would keep new orders past the target', () => {
    const back = load({ confirmP90Seconds: null, confirmed: 5, completedPerSecond: 30, inFlight: 200, oldestInFlightSeconds: 60 });
    expect(afterASecondOf(back)).toMatchObject({ open: true, admitRate: 30 });
  });

  it('does not take a few slow orders, or a burst just placed, for load', () => {
    // a few held by an outage
    expect(afterASecondOf(load({ confirmP90Seconds: null, confirmed: 0, completedPerSecond: 0, inFlight: 9, oldestInFlightSeconds: 30 })).open).toBe(false);
    // a few slow confirmations
    expect(afterASecondOf(load({ confirmP90Seconds: 4, confirmed: 9, completedPerSecond: 4.5 })).open).toBe(false);
    expect(afterASecondOf(load({ confirmP90Seconds: 4, confirmed: 10, completedPerSecond: 5 })).open).toBe(true);
    // thirty orders placed a moment ago on an idle shop
    expect(afterASecondOf(load({ inFlight: 30, oldestInFlightSeconds: 0.2, completedPerSecond: 0, confirmed: 0, confirmP90Seconds: null })).open).toBe(false);
  });

  it('slows admission while the target is missed and speeds it up while people wait and the target is met', () => {
    expect(decideWaitingRoom(open, load({ confirmP90Seconds: 0.9, waiting: 50 }), tuning, at(1)).admitRate).toBeCloseTo(20 * (5 / 6));
    expect(decideWaitingRoom(open, load({ confirmP90Seconds: 0.2, waiting: 50 }), tuning, at(1)).admitRate).toBeCloseTo(23);
    // half a second later, half the step
    expect(decideWaitingRoom(open, load({ confirmP90Seconds: 0.9, waiting: 50 }), tuning, at(1), 0.5).admitRate).toBeCloseTo(20 * Math.sqrt(5 / 6));
    // nobody waits: nothing to learn, the rate stays
    expect(decideWaitingRoom(open, load({ confirmP90Seconds: 0.2 }), tuning, at(1)).admitRate).toBe(20);
    // never below the floor, so the line always moves
    expect(decideWaitingRoom({ ...open, admitRate: 1 }, load({ confirmP90Seconds: 5, waiting: 50 }), tuning, at(1)).admitRate).toBe(1);
  });

  it('closes only once demand has fitted for closeAfterSeconds (hysteresis)', () => {
    let room = decideWaitingRoom(open, load({}), tuning, at(0));
    expect(room).toMatchObject({ open: true, calmSince: at(0) });
    room = decideWaitingRoom(room, load({}), tuning, at(9));
    expect(room.open).toBe(true);
    // somebody waited: the calm starts again
    room = decideWaitingRoom(room, load({ waiting: 1 }), tuning, at(9.5));
    expect(room.calmSince).toBeNull();
    room = decideWaitingRoom(room, load({}), tuning, at(10));
    room = decideWaitingRoom(room, load({}), tuning, at(19.9));
    expect(room.open).toBe(true);
    room = decideWaitingRoom(room, load({}), tuning, at(20));
    expect(room).toMatchObject({ open: false, changedAt: at(20) });
  });

  it('obeys an operator whatever it measures, at the rate the operator sets', () => {
    expect(decideWaitingRoom({ ...closed, mode: 'open' }, load({}), tuning, at(1))).toMatchObject({ open: true, reason: 'opened by an operator' });
    expect(decideWaitingRoom({ ...closed, mode: 'open', ratePerSecond: 3 }, load({ confirmP90Seconds: 9 }), tuning, at(1))).toMatchObject({ open: true, admitRate: 3 });
    expect(decideWaitingRoom({ ...open, mode: 'closed' }, load({ confirmP90Seconds: 9 }), tuning, at(1))).toMatchObject({ open: false });
  });

  it('admits what its rate has earned, and the whole line once closed', () => {
    const tokens = earnTokens(open, 0, 0.25);
    expect(tokens).toBe(5);
    expect(admissions(open, 50, tokens)).toBe(5);
    expect(admissions(open, 3, tokens)).toBe(3);
    // saved up while nobody waits: at most half a second's worth (at least one ticket)
    expect(earnTokens(open, 0, 60)).toBe(10);
    expect(earnTokens({ ...open, admitRate: 0.1 }, 0, 60)).toBe(1);
    expect(earnTokens({ ...open, ratePerSecond: 4 }, 0, 0.25)).toBe(1);
    expect(admissions(closed, 7, 0)).toBe(7);
    expect(earnTokens(closed, 3, 1)).toBe(0);
  });

  it('estimates the wait from the place and the pace the line has moved at', () => {
    expect(estimateWaitSeconds(30, { admitRate: 10, lineRate: 15, ratePerSecond: null }, 5)).toBe(2);
    // before the line has moved: the rate it admits at, or what completes
    expect(estimateWaitSeconds(30, { admitRate: 10, lineRate: 0, ratePerSecond: null }, 5)).toBe(3);
    expect(estimateWaitSeconds(30, { admitRate: 0, lineRate: 0, ratePerSecond: null }, 5)).toBe(6);
    expect(estimateWaitSeconds(30, { admitRate: 10, lineRate: 15, ratePerSecond: 2 }, 5)).toBe(15);
  });

  it("keeps the line's pace as a moving average of about ten seconds", () => {
    expect(lineRate({ ...open, lineRate: 0 }, 10, 0.5, 0)).toBe(20);
    // one slow half second moves it a little, not to the half second's pace
    const after = lineRate({ ...open, lineRate: 20 }, 0, 0.5, 0);
    expect(after).toBeGreaterThan(18.9);
    expect(after).toBeLessThan(19.1);
    expect(lineRate(closed, 10, 0.5, 30)).toBe(0);
  });

  it('paces a line whose admissions still catch up by what the lifecycle completes, from the moment the room opens', () => {
    // just opened: admissions start low (the rate is still being found), but the line will move as fast as orders complete
    expect(lineRate({ ...open, lineRate: 0 }, 2, 0.5, 30)).toBe(30);
    // admitting 20/s while 10/s complete (the backlog of a moment ago): the line moves at 20/s
    expect(lineRate({ ...open, lineRate: 20 }, 10, 0.5, 10)).toBeCloseTo(20);
    // admitting 4/s while 24/s complete: the pace follows what completes
    expect(lineRate({ ...open, lineRate: 20 }, 2, 0.5, 24)).toBeGreaterThan(20);
  });
});
