import type { PlaceOrderRequest, TicketStatus } from '@shop/shared/contracts';

/**
 * The waiting room in front of checkout. While the order lifecycle keeps up,
 * every checkout is placed at once. Once it is saturated (orders take longer
 * than the target from placed to confirmed), checkouts get a ticket instead:
 * a place in a first-come, first-served line, admitted (turned into the order)
 * as fast as the lifecycle completes orders. Everything here is pure; the
 * order service measures, decides with these rules and keeps the state in
 * its own schema, so every replica (and every gateway) sees one line.
 */
export type WaitingRoomMode = 'auto' | 'open' | 'closed';

export interface WaitingRoomState {
  /** auto: the room opens and closes by itself; open or closed: an operator decided. */
  mode: WaitingRoomMode;
  /** An operator's fixed admission rate (orders per second) while open; null: the room finds the rate itself. */
  ratePerSecond: number | null;
  open: boolean;
  /** Tickets admitted per second while open: what the lifecycle completes within its target, as found lately. */
  admitRate: number;
  /** The line's pace (tickets leaving it per second, or orders completed where that is faster), a moving average over about ten seconds: what the wait estimates divide by. */
  lineRate: number;
  /** Why the room is as it is, in words for the console. */
  reason: string;
  /** When it last opened or closed. */
  changedAt: Date;
  /** Since when demand has fitted through the room with the lifecycle within its target (closing waits for this to last). */
  calmSince: Date | null;
  /** Since when the lifecycle has been saturated while the room was closed (opening waits for this to last). */
  saturatedSince: Date | null;
}

/** What the order service measured of its lifecycle over the last window. */
export interface LifecycleLoad {
  /** Orders placed and not yet confirmed or cancelled. */
  inFlight: number;
  oldestInFlightSeconds: number;
  /** Placed → CONFIRMED, 90th percentile over the orders confirmed in the window; null when none was. */
  confirmP90Seconds: number | null;
  /** How many were confirmed in the window (what the percentile is of). */
  confirmed: number;
  /** Orders that left flight (confirmed or cancelled by the lifecycle) per second in the window. */
  completedPerSecond: number;
  /** Tickets waiting in line. */
  waiting: number;
}

export interface WaitingRoomTuning {
  /** Placed → CONFIRMED the room holds admitted orders to (p90). */
  targetSeconds: number;
  /**
   * How long the lifecycle must stay saturated before the room opens by itself (hysteresis): a burst the lifecycle
   * clears within this never shuts the shop, and the rate the room opens at is then measured under the load.
   */
  openAfterSeconds: number;
  /** How long demand must fit before the room closes by itself (hysteresis). */
  closeAfterSeconds: number;
  /** The admission rate never goes below this (orders per second), so the line always moves. */
  minRate: number;
  /**
   * What counts as load rather than a few slow orders: the percentile counts once this many were confirmed in
   * the window, and a pile-up needs this many in flight (an order waiting on a slow consumer at start-up, or a
   * handful held by an outage, never shut the shop).
   */
  minSample: number;
}

export const INITIAL_WAITING_ROOM: Omit<WaitingRoomState, 'changedAt'> = {
  mode: 'auto',
  ratePerSecond: null,
  open: false,
  admitRate: 0,
  lineRate: 0,
  reason: 'the lifecycle keeps up',
  calmSince: null,
  saturatedSince: null,
};

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

/**
 * Why the lifecycle counts as saturated now, or null when it keeps up: the
 * orders confirmed lately took longer than the target, or the orders in
 * flight would (by Little's law, in flight ÷ completed per second is the time
 * each spends in flight): the second sees a spike within one measurement,
 * before its orders are late. A lifecycle that completes nothing is not
 * saturated but stalled (see `stall`).
 */
export function saturation(load: LifecycleLoad, tuning: WaitingRoomTuning): string | null {
  if (load.confirmP90Seconds !== null && load.confirmed >= tuning.minSample && load.confirmP90Seconds > tuning.targetSeconds) {
    return `placed → confirmed p90 is ${round(load.confirmP90Seconds)} s, over the ${tuning.targetSeconds} s target`;
  }
  if (load.completedPerSecond <= 0) return null;
  const expected = load.inFlight / load.completedPerSecond;
  if (load.inFlight >= tuning.minSample && load.oldestInFlightSeconds > tuning.targetSeconds && expected > tuning.targetSeconds) {
    return `${load.inFlight} orders in flight at ${round(load.completedPerSecond)} completed/s: ${round(expected)} s each, over the ${tuning.targetSeconds} s target`;
  }
  return null;
}

/**
 * Why the lifecycle counts as stalled, or null: orders wait past the target
 * and none completed in the window. That is a stage that is down (the broker,
 * payment), not load: the platform keeps taking orders through an outage (the
 * outbox holds them and they settle once it is back), so a stall neither opens
 * the room nor, while it is open, moves its rate or counts as calm.
 */
export function stall(load: LifecycleLoad, tuning: WaitingRoomTuning): string | null {
  if (load.completedPerSecond > 0 || load.inFlight === 0 || load.oldestInFlightSeconds <= tuning.targetSeconds) return null;
  return `${load.inFlight} orders in flight and none completed lately (the oldest waited ${round(load.oldestInFlightSeconds)} s): a stage is down, not overloaded`;
}

/**
 * The room after one measurement, `elapsedSeconds` after the previous one. In
 * auto mode it opens once the lifecycle has been saturated for
 * openAfterSeconds (or sooner, see `directAllowance`), admitting at the rate
 * orders were completed; while open the rate drops by a sixth each second the
 * target is missed and grows by a tenth each second people wait and the
 * target is met (so it settles where the lifecycle keeps its target); it
 * closes once nobody has waited and the target has been met for
 * closeAfterSeconds.
 */
export function decideWaitingRoom(state: WaitingRoomState, load: LifecycleLoad, tuning: WaitingRoomTuning, now: Date, elapsedSeconds = 1): WaitingRoomState {
  const saturated = saturation(load, tuning);
  const stalled = saturated ? null : stall(load, tuning);
  if (state.mode !== 'auto') {
    const open = state.mode === 'open';
    const admitRate = state.ratePerSecond ?? (open ? (stalled ? state.admitRate : adaptRate(state, load, tuning, saturated !== null, elapsedSeconds)) : 0);
    return {
      ...state,
      open,
      admitRate,
      calmSince: null,
      saturatedSince: null,
      reason: open ? 'opened by an operator' : 'closed by an operator',
      changedAt: open !== state.open ? now : state.changedAt,
    };
  }
  if (!state.open) {
    if (!saturated) return { ...state, admitRate: 0, calmSince: null, saturatedSince: null, reason: stalled ?? INITIAL_WAITING_ROOM.reason };
    const saturatedSince = state.saturatedSince ?? now;
    if (now.getTime() - saturatedSince.getTime() < tuning.openAfterSeconds * 1000) {
      // The rate it would open at is also what checkouts may use meanwhile (see directAllowance).
      const admitRate = Math.max(tuning.minRate, load.completedPerSecond);
      return { ...state, admitRate, calmSince: null, saturatedSince, reason: `${saturated}; opens if that lasts ${tuning.openAfterSeconds} s, or once checkouts outrun the ${round(admitRate)} orders/s completed` };
    }
    return { ...state, open: true, admitRate: Math.max(tuning.minRate, load.completedPerSecond), calmSince: null, saturatedSince: null, reason: saturated, changedAt: now };
  }
  if (stalled) return { ...state, calmSince: null, reason: stalled };
  const calm = !saturated && load.waiting === 0;
  const calmSince = calm ? (state.calmSince ?? now) : null;
  if (calmSince && now.getTime() - calmSince.getTime() >= tuning.closeAfterSeconds * 1000) {
    return { ...state, open: false, admitRate: 0, calmSince: null, reason: INITIAL_WAITING_ROOM.reason, changedAt: now };
  }
  const admitRate = adaptRate(state, load, tuning, saturated !== null, elapsedSeconds);
  return { ...state, admitRate, calmSince, reason: saturated ?? (calm ? 'the lifecycle keeps up; closing once that lasts' : 'admitting as fast as orders complete within the target') };
}

/** Whether the room waits to open: closed by itself while the lifecycle is saturated, for at most openAfterSeconds. */
export function waitingToOpen(state: WaitingRoomState): boolean {
  return state.mode === 'auto' && !state.open && state.saturatedSince !== null;
}

/**
 * How many checkouts a room that waits to open places at once, before it
 * opens: the hysteresis keeps a burst the lifecycle clears from shutting the
 * shop, but a spike must not pile up a backlog meanwhile (every order placed
 * then waits behind it, past the target, however well the room paces the line
 * later). So the room lets through one second of what the lifecycle completes
 * (at least minSample), earned again at that rate; checkouts that outrun it
 * open the room at once (`openForDemand`). Kept in the room's row, so every
 * replica spends the same allowance.
 */
export function directAllowance(state: WaitingRoomState, tuning: WaitingRoomTuning): number {
  return Math.max(tuning.minSample, state.admitRate);
}

/** The room opened by a checkout that found the allowance spent while it waited to open. */
export function openForDemand(state: WaitingRoomState, now: Date): WaitingRoomState {
  return {
    ...state,
    open: true,
    calmSince: null,
    saturatedSince: null,
    reason: `checkouts arrive faster than the ${round(state.admitRate)} orders/s the saturated lifecycle completes`,
    changedAt: now,
  };
}

function adaptRate(state: WaitingRoomState, load: LifecycleLoad, tuning: WaitingRoomTuning, saturated: boolean, elapsedSeconds: number): number {
  const rate = Math.max(state.admitRate, tuning.minRate);
  if (saturated) return Math.max(tuning.minRate, rate * Math.pow(5 / 6, elapsedSeconds));
  if (load.waiting > 0) return rate * Math.pow(1.1, elapsedSeconds) + elapsedSeconds;
  return rate;
}

/**
 * How many tickets one admission round may turn into orders: the tokens the
 * rate has earned (a closed room lets the whole line through).
 */
export function admissions(state: WaitingRoomState, waiting: number, tokens: number): number {
  if (!state.open) return waiting;
  return Math.min(waiting, Math.floor(tokens));
}

/** The tokens an admission round has after `elapsedSeconds` at the room's rate: at most half a second's worth, and at least one ticket, saved up. */
export function earnTokens(state: WaitingRoomState, tokens: number, elapsedSeconds: number): number {
  if (!state.open) return 0;
  const rate = state.ratePerSecond ?? state.admitRate;
  return Math.min(Math.max(1, rate / 2), tokens + rate * elapsedSeconds);
}

/**
 * The line's pace after `moved` tickets left it (admitted or expired) in `elapsedSeconds`, while the lifecycle
 * completed `completedPerSecond`: a moving average over about ten seconds, so the estimates follow the rate the
 * line really moves at, not each step of the admission rate around it. Each sample is the faster of the two: the
 * room admits as fast as orders complete once it has found its rate, so while admissions still catch up (just
 * after it opened, or after a cut) the line is about to move as fast as orders complete, and a ticket issued then
 * waits that long, not as long as the first slow admissions would say.
 */
export function lineRate(state: WaitingRoomState, moved: number, elapsedSeconds: number, completedPerSecond: number): number {
  if (!state.open || elapsedSeconds <= 0) return 0;
  const now = Math.max(moved / elapsedSeconds, completedPerSecond);
  if (state.lineRate <= 0) return now;
  const weight = 1 - Math.exp(-elapsedSeconds / 10);
  return state.lineRate + weight * (now - state.lineRate);
}

/** The honest estimate: the tickets ahead of this one and this one, at the pace the line has moved at lately. */
export function estimateWaitSeconds(
  position: number,
  state: Pick<WaitingRoomState, 'admitRate' | 'lineRate' | 'ratePerSecond'>,
  completedPerSecond: number,
): number {
  const rate = state.ratePerSecond ?? (state.lineRate > 0 ? state.lineRate : state.admitRate > 0 ? state.admitRate : completedPerSecond);
  return Math.ceil(position / Math.max(rate, 0.5));
}

export interface WaitingRoomTicket {
  id: string;
  /** Its place in the line's order (first come, first served). */
  seq: number;
  customerId: string;
  /** The customer's Idempotency-Key, or one the room made for the ticket: the order is placed with it. */
  idempotencyKey: string;
  request: PlaceOrderRequest;
  status: TicketStatus;
  orderId: string | null;
  /** Why the order could not be placed when its turn came (FAILED). */
  problem: { code: string; detail: string } | null;
  /** The wait the ticket was promised when it was issued. */
  estimatedWaitSeconds: number;
  createdAt: Date;
  lastSeenAt: Date;
  endedAt: Date | null;
}

/** The line, in the order service's schema (the port; data-access implements it). */
export abstract class WaitingRoomRepository {
  abstract loadState(): Promise<WaitingRoomState>;
  abstract saveState(state: WaitingRoomState): Promise<void>;
  /** A new ticket, unless the customer already waits: then that one (one place per customer). */
  abstract join(ticket: Omit<WaitingRoomTicket, 'seq' | 'status' | 'orderId' | 'problem' | 'endedAt'>): Promise<{ ticket: WaitingRoomTicket; created: boolean }>;
  abstract find(id: string): Promise<WaitingRoomTicket | null>;
  /** 1 for the first ticket in line; null when it no longer waits. */
  abstract position(seq: number): Promise<number | null>;
  /** Marks the ticket as seen now (the customer is still there), unless it was seen less than `olderThanSeconds` ago. */
  abstract touch(id: string, olderThanSeconds: number): Promise<void>;
  /** The first `limit` waiting tickets, oldest first. */
  abstract nextInLine(limit: number): Promise<WaitingRoomTicket[]>;
  abstract end(id: string, status: Exclude<TicketStatus, 'WAITING'>, outcome?: { orderId?: string; problem?: { code: string; detail: string } }): Promise<boolean>;
  /** Waiting tickets not seen since `before` become EXPIRED; how many did. */
  abstract expire(before: Date): Promise<number>;
  abstract measure(windowSeconds: number): Promise<LifecycleLoad>;
  /** The checkouts a room that waits to open may still place at once (see directAllowance): `allowance` when `reset`, else `earned` more, up to it. */
  abstract allowDirect(allowance: number, earned: number, reset: boolean): Promise<void>;
  /** Spends one of them for a checkout; false when none is left or the room no longer waits to open. */
  abstract takeDirect(): Promise<boolean>;
  /** Tickets waiting, for each admission round. */
  abstract waiting(): Promise<number>;
  /** Runs `work` only on the one replica that holds the room's lock (true when it did). */
  abstract asLeader(work: () => Promise<void>): Promise<boolean>;
  /** Runs `work` holding the room's lock, waiting for the leader's round to end (an operator's change is never lost to it). */
  abstract exclusively<T>(work: () => Promise<T>): Promise<T>;
}
