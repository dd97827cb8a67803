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
  /** An operator's fixed admission rate (orders per second) while open; null: as fast as the lifecycle completes orders. */
  ratePerSecond: number | null;
  open: boolean;
  /** Orders in flight (placed, not yet confirmed or cancelled) the room lets through at once. */
  limit: number;
  /** Orders admitted from the line per second lately: what the wait estimates divide by. */
  admitRate: number;
  /** Why the room is as it is, in words for the console. */
  reason: string;
  /** When it last opened or closed. */
  changedAt: Date;
  /** Since when demand has fitted through the room with the lifecycle within its target (closing waits for this to last). */
  calmSince: Date | null;
}

/** What the order service measured of its lifecycle, one window ago to now. */
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
  /** How long demand must fit before the room closes by itself (hysteresis). */
  closeAfterSeconds: number;
  /** The in-flight limit never goes below this, so the line always moves. */
  minLimit: number;
  /**
   * What counts as load rather than a few slow orders: the percentile counts once this many were confirmed in
   * the window, and "stuck" needs this many in flight (an order waiting on a slow consumer at start-up, or a
   * handful held by an outage, never shut the shop).
   */
  minSample: number;
}

export const INITIAL_WAITING_ROOM: Omit<WaitingRoomState, 'changedAt'> = {
  mode: 'auto',
  ratePerSecond: null,
  open: false,
  limit: 0,
  admitRate: 0,
  reason: 'the lifecycle keeps up',
  calmSince: null,
};

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

/** Why the lifecycle counts as saturated now, or null when it keeps up. */
export function saturation(load: LifecycleLoad, tuning: WaitingRoomTuning): string | null {
  if (load.confirmP90Seconds !== null && load.confirmed >= tuning.minSample && load.confirmP90Seconds > tuning.targetSeconds) {
    return `placed → confirmed p90 is ${round(load.confirmP90Seconds)} s, over the ${tuning.targetSeconds} s target`;
  }
  // Nothing completed lately while orders pile up: the lifecycle is stuck rather than slow.
  if (load.inFlight >= tuning.minSample && load.oldestInFlightSeconds > 2 * tuning.targetSeconds && load.completedPerSecond === 0) {
    return `${load.inFlight} orders in flight and none completed; the oldest waited ${round(load.oldestInFlightSeconds)} s`;
  }
  return null;
}

/**
 * The room after one measurement. In auto mode it opens when the lifecycle is
 * saturated, with an in-flight limit of what it completes in one target's
 * time; while open the limit shrinks by a quarter each time the target is
 * missed and grows by a tenth while it binds and the target is met; it closes
 * once nobody has waited and the target has been met for closeAfterSeconds.
 */
export function decideWaitingRoom(state: WaitingRoomState, load: LifecycleLoad, tuning: WaitingRoomTuning, now: Date): WaitingRoomState {
  const saturated = saturation(load, tuning);
  const limit = adaptLimit(state, load, tuning, saturated !== null);
  if (state.mode !== 'auto') {
    const open = state.mode === 'open';
    const changed = open !== state.open;
    return { ...state, open, limit, calmSince: null, reason: open ? 'opened by an operator' : 'closed by an operator', changedAt: changed ? now : state.changedAt };
  }
  if (!state.open) {
    if (!saturated) return { ...state, limit: 0, calmSince: null, reason: INITIAL_WAITING_ROOM.reason };
    const first = Math.max(tuning.minLimit, Math.round(load.completedPerSecond * tuning.targetSeconds));
    return { ...state, open: true, limit: first, calmSince: null, reason: saturated, changedAt: now };
  }
  const calm = !saturated && load.waiting === 0 && load.inFlight < limit;
  const calmSince = calm ? (state.calmSince ?? now) : null;
  if (calmSince && now.getTime() - calmSince.getTime() >= tuning.closeAfterSeconds * 1000) {
    return { ...state, open: false, limit: 0, calmSince: null, reason: INITIAL_WAITING_ROOM.reason, changedAt: now };
  }
  return { ...state, limit, calmSince, reason: saturated ?? (calm ? 'the lifecycle keeps up; closing once that lasts' : 'admitting as fast as orders complete') };
}

function adaptLimit(state: WaitingRoomState, load: LifecycleLoad, tuning: WaitingRoomTuning, saturated: boolean): number {
  if (!state.open) return state.limit;
  if (saturated) return Math.max(tuning.minLimit, Math.floor(state.limit * 0.75));
  if (load.inFlight >= state.limit - 1) return state.limit + Math.max(1, Math.round(state.limit * 0.1));
  return state.limit;
}

/** How many tickets one admission round may turn into orders. */
export function admissions(state: WaitingRoomState, load: { inFlight: number; waiting: number }, tokens: number): number {
  if (!state.open) return load.waiting; // closed (by itself or an operator): the line is let through.
  if (state.ratePerSecond !== null) return Math.min(load.waiting, Math.floor(tokens));
  return Math.min(load.waiting, Math.max(0, state.limit - load.inFlight));
}

/** The honest estimate: the tickets ahead of this one and this one, at the rate the line has been moving. */
export function estimateWaitSeconds(position: number, state: Pick<WaitingRoomState, 'admitRate' | 'ratePerSecond'>, completedPerSecond: number): number {
  const rate = state.ratePerSecond ?? (state.admitRate > 0 ? state.admitRate : completedPerSecond);
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
  /** Marks the ticket as seen now (the customer is still there), at most every few seconds. */
  abstract touch(id: string): Promise<void>;
  /** The first `limit` waiting tickets, oldest first. */
  abstract nextInLine(limit: number): Promise<WaitingRoomTicket[]>;
  abstract end(id: string, status: Exclude<TicketStatus, 'WAITING'>, outcome?: { orderId?: string; problem?: { code: string; detail: string } }): Promise<boolean>;
  /** Waiting tickets not seen since `before` become EXPIRED; how many did. */
  abstract expire(before: Date): Promise<number>;
  abstract measure(windowSeconds: number): Promise<LifecycleLoad>;
  /** Cheap: orders in flight and tickets waiting, for each admission round. */
  abstract counts(): Promise<{ inFlight: number; waiting: number }>;
  /** Runs `work` only on the one replica that holds the room's lock (true when it did). */
  abstract asLeader(work: () => Promise<void>): Promise<boolean>;
}
