import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  admissions,
  decideWaitingRoom,
  directAllowance,
  earnTokens,
  estimateWaitSeconds,
  lineRate,
  INITIAL_WAITING_ROOM,
  LifecycleLoad,
  OrderError,
  openForDemand,
  WaitingRoomMode,
  WaitingRoomRepository,
  WaitingRoomState,
  WaitingRoomTicket,
  WaitingRoomTuning,
  waitingToOpen,
} from '@shop/order/domain';
import { DomainError } from '@shop/shared/kernel';
import type { PlaceOrderRequest } from '@shop/shared/contracts';
import { PlaceOrderHandler } from '../orders/place-order/place-order.handler';

export const WAITING_ROOM_OPTIONS = Symbol('WAITING_ROOM_OPTIONS');

export interface WaitingRoomOptions extends WaitingRoomTuning {
  /** How often every replica reads the room's state and the leader admits from the line. */
  tickMs: number;
  /** A waiting ticket nobody has looked at for this long is abandoned: it expires and frees its place. */
  ticketTtlSeconds: number;
}

/** How far back the lifecycle is measured, and how often. */
const WINDOW_SECONDS = 1;
const MEASURE_EVERY_MS = 500;
/** Orders placed side by side in one admission round. */
const PLACING_CONCURRENCY = 4;

/** What a customer sees of a ticket. */
export interface TicketView {
  ticket: WaitingRoomTicket;
  position: number | null;
  estimatedWaitSeconds: number | null;
  /** When to look again (seconds); the ticket expires after ticketTtlSeconds without a look. */
  retryAfterSeconds: number | null;
  expiresAt: Date | null;
}

export interface WaitingRoomStatus {
  state: WaitingRoomState;
  load: LifecycleLoad;
  /** The line's pace (see WaitingRoomState.lineRate). */
  admittedPerSecond: number;
  targetSeconds: number;
}

/**
 * The waiting room in the order service (rules in `@shop/order/domain`
 * waiting-room.ts). Every replica reads the room's state each tick, so
 * checkout knows whether to place or to hand out a ticket; one replica at a
 * time (an advisory lock) measures the lifecycle, decides, expires abandoned
 * tickets and admits the next ones in line by placing their orders with the
 * ticket's Idempotency-Key: a crash halfway places nothing twice.
 */
@Injectable()
export class WaitingRoomService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('WaitingRoom');
  private state: WaitingRoomState = { ...INITIAL_WAITING_ROOM, changedAt: new Date() };
  private load: LifecycleLoad = { inFlight: 0, oldestInFlightSeconds: 0, confirmP90Seconds: null, confirmed: 0, completedPerSecond: 0, waiting: 0 };
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private lastMeasure = 0;
  private lastTick = Date.now();
  private tokens = 0;
  /** The operator's setting the tokens were earned under: a new one starts from none. */
  private earnedUnder = '';
  private admittedSinceMeasure = 0;
  /** Bumped by a change made here (an operator's, or an opening for demand), so a read of the room begun before it cannot replace it. */
  private changes = 0;
  /** This replica opening the room for checkouts that outran the allowance: the others arriving meanwhile wait for it. */
  private opening?: Promise<boolean>;

  constructor(
    private readonly room: WaitingRoomRepository,
    private readonly placeOrder: PlaceOrderHandler,
    @Inject(WAITING_ROOM_OPTIONS) private readonly options: WaitingRoomOptions,
  ) {}

  onApplicationBootstrap(): void {
    const loop = () => {
      this.ticking = this.tick()
        .catch((err) => this.log.warn(`waiting room round failed, retrying at the next: ${(err as Error).message}`))
        .finally(() => {
          this.ticking = undefined;
          if (this.timer) this.timer = setTimeout(loop, this.options.tickMs);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  /**
   * Whether a checkout waits in line: the room is open (as this replica last read it), or it waits to open and
   * the checkouts before this one have spent what may be placed meanwhile, and this one opens it.
   */
  async queues(): Promise<boolean> {
    if (this.state.open) return true;
    if (!waitingToOpen(this.state) || (await this.room.takeDirect())) return false;
    this.opening ??= this.openForDemand().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async openForDemand(): Promise<boolean> {
    const next = await this.room.exclusively(async () => {
      const current = await this.room.loadState();
      if (!waitingToOpen(current)) return current;
      const opened = openForDemand(current, new Date());
      await this.room.saveState(opened);
      this.log.log(`waiting room opened: ${opened.reason}`);
      return opened;
    });
    this.state = next;
    this.changes++;
    return next.open;
  }

  /** A place in line for this checkout, or the customer's existing one when they already wait with the same key. */
  async join(customerId: string, request: PlaceOrderRequest, idempotencyKey: string | undefined): Promise<TicketView> {
    await this.placeOrder.check(request);
    const id = randomUUID();
    const waiting = this.load.waiting + 1;
    const { ticket, created } = await this.room.join({
      id,
      customerId,
      idempotencyKey: idempotencyKey ?? `waiting-room:${id}`,
      request,
      estimatedWaitSeconds: estimateWaitSeconds(waiting, this.state, this.load.completedPerSecond),
      createdAt: new Date(),
      lastSeenAt: new Date(),
    });
    if (!created && (idempotencyKey === undefined || ticket.idempotencyKey !== idempotencyKey)) {
      throw new OrderError('ALREADY_IN_LINE', `you already wait in line with ticket ${ticket.id}; one place per customer`);
    }
    const view = await this.view(ticket);
    // A new ticket shows the estimate it was issued with (and keeps, to be held to it).
    return created && view.estimatedWaitSeconds !== null ? { ...view, estimatedWaitSeconds: ticket.estimatedWaitSeconds } : view;
  }

  /** The customer's (or, for an admin, anybody's) ticket, marking the customer as still there. */
  async ticket(id: string, viewer: { sub: string; admin: boolean }): Promise<TicketView> {
    const ticket = await this.room.find(id);
    if (!ticket || (ticket.customerId !== viewer.sub && !viewer.admin)) throw new OrderError('NOT_FOUND', `ticket ${id} not found`);
    // A write only every quarter of the TTL: looks come at most every third of it (Retry-After), so a customer who
    // follows Retry-After is always seen in time, and most looks cost no write.
    if (ticket.status === 'WAITING' && ticket.customerId === viewer.sub) await this.room.touch(id, this.options.ticketTtlSeconds / 4);
    return this.view(ticket);
  }

  /** The customer gives up their place. */
  async leave(id: string, customerId: string): Promise<TicketView> {
    const ticket = await this.room.find(id);
    if (!ticket || ticket.customerId !== customerId) throw new OrderError('NOT_FOUND', `ticket ${id} not found`);
    if (ticket.status === 'WAITING' && (await this.room.end(id, 'LEFT'))) return this.view({ ...ticket, status: 'LEFT', endedAt: new Date() });
    return this.view((await this.room.find(id)) ?? ticket);
  }

  async status(): Promise<WaitingRoomStatus> {
    const [state, load] = await Promise.all([this.room.loadState(), this.room.measure(WINDOW_SECONDS)]);
    return { state, load, admittedPerSecond: state.lineRate, targetSeconds: this.options.targetSeconds };
  }

  /** An operator opens or closes the room, or gives it back to itself (auto), with or without a fixed rate. */
  async configure(change: { mode: WaitingRoomMode; ratePerSecond: number | null }): Promise<WaitingRoomStatus> {
    const next = await this.room.exclusively(async () => {
      const current = await this.room.loadState();
      const decided = decideWaitingRoom({ ...current, ...change }, await this.room.measure(WINDOW_SECONDS), this.options, new Date(), 0);
      await this.room.saveState(decided);
      return decided;
    });
    this.state = next;
    this.changes++;
    this.log.log(`waiting room set to ${change.mode}${change.ratePerSecond ? ` at ${change.ratePerSecond}/s` : ''} by an operator: ${next.open ? 'open' : 'closed'}`);
    return this.status();
  }

  private async view(ticket: WaitingRoomTicket): Promise<TicketView> {
    if (ticket.status !== 'WAITING') return { ticket, position: null, estimatedWaitSeconds: null, retryAfterSeconds: null, expiresAt: null };
    const position = await this.room.position(ticket.seq);
    const estimate = position === null ? 0 : estimateWaitSeconds(position, this.state, this.load.completedPerSecond);
    // Look again about four times over the wait (each look costs the shop a request while it is busiest), and at
    // least three times within the time to expiry, so a customer who follows Retry-After never loses their place.
    const retryAfterSeconds = Math.max(1, Math.min(Math.ceil(estimate / 4), Math.floor(this.options.ticketTtlSeconds / 3)));
    return { ticket, position, estimatedWaitSeconds: estimate, retryAfterSeconds, expiresAt: new Date(Date.now() + this.options.ticketTtlSeconds * 1000) };
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    const elapsed = (now - this.lastTick) / 1000;
    this.lastTick = now;
    const led = await this.room.asLeader(() => this.lead(now, elapsed));
    if (!led) {
      const changes = this.changes;
      const state = await this.room.loadState();
      if (changes === this.changes) this.state = state;
      if (now - this.lastMeasure >= MEASURE_EVERY_MS) {
        this.lastMeasure = now;
        this.load = await this.room.measure(WINDOW_SECONDS);
      }
    }
  }

  /** One round of the replica holding the room: measure and decide (twice a second), expire, admit what the rate has earned. */
  private async lead(now: number, elapsed: number): Promise<void> {
    let state = await this.room.loadState();
    if (now - this.lastMeasure >= MEASURE_EVERY_MS) {
      const seconds = this.lastMeasure ? (now - this.lastMeasure) / 1000 : MEASURE_EVERY_MS / 1000;
      this.lastMeasure = now;
      const expired = await this.room.expire(new Date(now - this.options.ticketTtlSeconds * 1000));
      this.load = await this.room.measure(WINDOW_SECONDS);
      const moved = this.admittedSinceMeasure + expired;
      this.admittedSinceMeasure = 0;
      const before = state;
      const decided = decideWaitingRoom(before, this.load, this.options, new Date(now), seconds);
      state = { ...decided, lineRate: lineRate({ ...decided, lineRate: before.open ? before.lineRate : 0 }, moved, seconds, this.load.completedPerSecond) };
      if (state.open !== this.state.open) this.log.log(`waiting room ${state.open ? 'opened' : 'closed'}: ${state.reason}`);
      if (waitingToOpen(state)) {
        // A new wait starts with a full allowance, set before the state says it waits, so no checkout spends the last one's.
        await this.room.allowDirect(directAllowance(state, this.options), state.admitRate * seconds, !waitingToOpen(before));
      }
      await this.room.saveState(state);
    }
    this.state = state;
    const setting = `${state.mode}/${state.ratePerSecond}`;
    if (setting !== this.earnedUnder) this.tokens = 0;
    this.earnedUnder = setting;
    this.tokens = earnTokens(state, this.tokens, elapsed);
    const n = admissions(state, await this.room.waiting(), this.tokens);
    if (n <= 0) return;
    const next = await this.room.nextInLine(Math.min(n, 200));
    for (let i = 0; i < next.length; i += PLACING_CONCURRENCY) {
      await Promise.all(next.slice(i, i + PLACING_CONCURRENCY).map((ticket) => this.admit(ticket)));
    }
    this.tokens = Math.max(0, this.tokens - next.length);
  }

  /** Places the ticket's order with its key (a second attempt after a crash finds the same order), then ends the ticket. */
  private async admit(ticket: WaitingRoomTicket): Promise<void> {
    try {
      const order = await this.placeOrder.execute(ticket.customerId, ticket.request, ticket.idempotencyKey);
      if (await this.room.end(ticket.id, 'ADMITTED', { orderId: order.id })) this.admittedSinceMeasure++;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      // The order cannot be placed as it stands (a product withdrawn while the customer waited): the ticket says why.
      await this.room.end(ticket.id, 'FAILED', { problem: { code: err.code, detail: err.message } });
    }
  }
}
