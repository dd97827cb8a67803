import { Injectable } from '@nestjs/common';
import type { LifecycleLoad, WaitingRoomMode, WaitingRoomState, WaitingRoomTicket } from '@shop/order/domain';
import { WaitingRoomRepository } from '@shop/order/domain';
import { Database, statement } from '@shop/platform/database';
import type { PlaceOrderRequest, TicketStatus } from '@shop/shared/contracts';

interface StateRow {
  mode: WaitingRoomMode;
  rate_per_second: number | null;
  open: boolean;
  admit_rate: number;
  line_rate: number;
  reason: string;
  changed_at: Date;
  calm_since: Date | null;
  saturated_since: Date | null;
}

interface TicketRow {
  seq: string;
  id: string;
  customer_id: string;
  idempotency_key: string;
  request: PlaceOrderRequest;
  status: TicketStatus;
  order_id: string | null;
  problem: { code: string; detail: string } | null;
  estimated_wait_seconds: number;
  created_at: Date;
  last_seen_at: Date;
  ended_at: Date | null;
}

const TICKET_COLUMNS = `seq, id, customer_id, idempotency_key, request, status, order_id, problem, estimated_wait_seconds, created_at, last_seen_at, ended_at`;

const LOAD_STATE = statement(`select mode, rate_per_second, open, admit_rate, line_rate, reason, changed_at, calm_since, saturated_since from waiting_room`);
const SAVE_STATE = statement(`update waiting_room set mode = $1, rate_per_second = $2, open = $3, admit_rate = $4, line_rate = $5, reason = $6,
  changed_at = $7, calm_since = $8, saturated_since = $9`);
const JOIN = statement(`insert into waiting_room_tickets (id, customer_id, idempotency_key, request, estimated_wait_seconds, created_at, last_seen_at)
  values ($1, $2, $3, $4::jsonb, $5, $6, $6)
  on conflict (customer_id) where status = 'WAITING' do nothing returning ${TICKET_COLUMNS}`);
const WAITING_OF = statement(`select ${TICKET_COLUMNS} from waiting_room_tickets where customer_id = $1 and status = 'WAITING'`);
const FIND = statement(`select ${TICKET_COLUMNS} from waiting_room_tickets where id = $1`);
const POSITION = statement(`select count(*)::int as n from waiting_room_tickets where status = 'WAITING' and seq <= $1`);
const TOUCH = statement(`update waiting_room_tickets set last_seen_at = now() where id = $1 and status = 'WAITING' and last_seen_at < now() - make_interval(secs => $2)`);
const NEXT = statement(`select ${TICKET_COLUMNS} from waiting_room_tickets where status = 'WAITING' order by seq limit $1`);
const END = statement(`update waiting_room_tickets set status = $2, order_id = $3, problem = $4::jsonb, ended_at = now() where id = $1 and status = 'WAITING'`);
const EXPIRE = statement(`update waiting_room_tickets set status = 'EXPIRED', ended_at = now() where status = 'WAITING' and last_seen_at < $1`);
const ALLOW_DIRECT = statement(`update waiting_room set direct_allowance = case when $3 then $1 else least($1, direct_allowance + $2) end`);
const TAKE_DIRECT = statement(`update waiting_room set direct_allowance = direct_allowance - 1
  where mode = 'auto' and not open and saturated_since is not null and direct_allowance >= 1`);
const WAITING = statement(`select count(*)::int as n from waiting_room_tickets where status = 'WAITING'`);
/** Orders leave flight when confirmed, or cancelled before that (out of stock, payment declined, the customer). */
const MEASURE = statement(`with done as (
    select h.status, extract(epoch from h.at - o.created_at) as seconds
      from order_status_history h join orders o on o.id = h.order_id
     where h.at > now() - make_interval(secs => $1) and h.status in ('CONFIRMED', 'CANCELLED')
       and (h.status = 'CONFIRMED' or o.cancel_reason <> 'DELIVERY_FAILED'))
  select
    (select count(*)::int from orders where status in ('PENDING', 'AWAITING_PAYMENT')) as in_flight,
    (select coalesce(extract(epoch from now() - min(created_at)), 0) from orders where status in ('PENDING', 'AWAITING_PAYMENT')) as oldest,
    (select percentile_cont(0.9) within group (order by seconds) from done where status = 'CONFIRMED') as p90,
    (select count(*)::int from done where status = 'CONFIRMED') as confirmed,
    (select count(*)::int from done) as completed,
    (select count(*)::int from waiting_room_tickets where status = 'WAITING') as waiting`);
const TRY_LEAD = statement(`select pg_try_advisory_xact_lock(hashtext('orders.waiting_room')) as leader`);
const LOCK = statement(`select pg_advisory_xact_lock(hashtext('orders.waiting_room'))`);

function toTicket(row: TicketRow): WaitingRoomTicket {
  return {
    id: row.id,
    seq: Number(row.seq),
    customerId: row.customer_id,
    idempotencyKey: row.idempotency_key,
    request: row.request,
    status: row.status,
    orderId: row.order_id,
    problem: row.problem,
    estimatedWaitSeconds: row.estimated_wait_seconds,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    endedAt: row.ended_at,
  };
}

/** The waiting room on the order service's own SQL: single statements, no unit of work (nothing here publishes an event). */
@Injectable()
export class PgWaitingRoomRepository extends WaitingRoomRepository {
  constructor(private readonly db: Database) {
    super();
  }

  async loadState(): Promise<WaitingRoomState> {
    const [row] = await this.db.query<StateRow>(LOAD_STATE);
    if (!row) throw new Error('the waiting_room row is missing (its migration inserts it)');
    return {
      mode: row.mode,
      ratePerSecond: row.rate_per_second,
      open: row.open,
      admitRate: row.admit_rate,
      lineRate: row.line_rate,
      reason: row.reason,
      changedAt: row.changed_at,
      calmSince: row.calm_since,
      saturatedSince: row.saturated_since,
    };
  }

  async saveState(s: WaitingRoomState): Promise<void> {
    await this.db.execute(SAVE_STATE, [s.mode, s.ratePerSecond, s.open, s.admitRate, s.lineRate, s.reason, s.changedAt, s.calmSince, s.saturatedSince]);
  }

  async join(t: Omit<WaitingRoomTicket, 'seq' | 'status' | 'orderId' | 'problem' | 'endedAt'>): Promise<{ ticket: WaitingRoomTicket; created: boolean }> {
    const [row] = await this.db.query<TicketRow>(JOIN, [t.id, t.customerId, t.idempotencyKey, JSON.stringify(t.request), t.estimatedWaitSeconds, t.createdAt]);
    if (row) return { ticket: toTicket(row), created: true };
    const [existing] = await this.db.query<TicketRow>(WAITING_OF, [t.customerId]);
    // Admitted or expired between the insert and this read: the place is free again.
    if (!existing) return this.join(t);
    return { ticket: toTicket(existing), created: false };
  }

  async find(id: string): Promise<WaitingRoomTicket | null> {
    const [row] = await this.db.query<TicketRow>(FIND, [id]);
    return row ? toTicket(row) : null;
  }

  async position(seq: number): Promise<number | null> {
    const [row] = await this.db.query<{ n: number }>(POSITION, [seq]);
    return row && row.n > 0 ? row.n : null;
  }

  async touch(id: string, olderThanSeconds: number): Promise<void> {
    await this.db.execute(TOUCH, [id, olderThanSeconds]);
  }

  async nextInLine(limit: number): Promise<WaitingRoomTicket[]> {
    return (await this.db.query<TicketRow>(NEXT, [limit])).map(toTicket);
  }

  async end(id: string, status: Exclude<TicketStatus, 'WAITING'>, outcome: { orderId?: string; problem?: { code: string; detail: string } } = {}): Promise<boolean> {
    const n = await this.db.execute(END, [id, status, outcome.orderId ?? null, outcome.problem ? JSON.stringify(outcome.problem) : null]);
    return n === 1;
  }

  expire(before: Date): Promise<number> {
    return this.db.execute(EXPIRE, [before]);
  }

  async measure(windowSeconds: number): Promise<LifecycleLoad> {
    const [row] = await this.db.query<{ in_flight: number; oldest: string; p90: number | null; confirmed: number; completed: number; waiting: number }>(MEASURE, [
      windowSeconds,
    ]);
    return {
      inFlight: row?.in_flight ?? 0,
      oldestInFlightSeconds: Number(row?.oldest ?? 0),
      confirmP90Seconds: row?.p90 ?? null,
      confirmed: row?.confirmed ?? 0,
      completedPerSecond: (row?.completed ?? 0) / windowSeconds,
      waiting: row?.waiting ?? 0,
    };
  }

  async allowDirect(allowance: number, earned: number, reset: boolean): Promise<void> {
    await this.db.execute(ALLOW_DIRECT, [allowance, earned, reset]);
  }

  async takeDirect(): Promise<boolean> {
    return (await this.db.execute(TAKE_DIRECT)) === 1;
  }

  async waiting(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(WAITING);
    return row?.n ?? 0;
  }

  asLeader(work: () => Promise<void>): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ leader: boolean }>(TRY_LEAD);
      if (!row?.leader) return false;
      await work();
      return true;
    });
  }

  exclusively<T>(work: () => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.query(LOCK);
      return work();
    });
  }
}
