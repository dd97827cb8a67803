import { z } from 'zod';

export const ticketStatuses = ['WAITING', 'ADMITTED', 'EXPIRED', 'LEFT', 'FAILED'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

/**
 * A place in the waiting room's line: what `POST /api/orders` answers while
 * the room is open, and `GET /api/waiting-room/tickets/{id}` after. WAITING
 * carries the place and an estimate; ADMITTED the order it became (placed with
 * the checkout's Idempotency-Key); EXPIRED means nobody looked at it for the
 * room's ticket TTL; LEFT that the customer gave it up; FAILED that the order
 * could not be placed when its turn came, and why.
 */
export interface WaitingRoomTicketView {
  ticketId: string;
  status: TicketStatus;
  /** 1 for the next in line (WAITING only). */
  position?: number;
  estimatedWaitSeconds?: number;
  /** When to look again; a ticket nobody looks at expires at `expiresAt`. */
  retryAfterSeconds?: number;
  expiresAt?: string;
  orderId?: string;
  problem?: { code: string; detail: string };
  createdAt: string;
  endedAt?: string;
}

export const waitingRoomModes = ['auto', 'open', 'closed'] as const;

/** What the console shows of the room, and what an operator sets. */
export interface WaitingRoomView {
  mode: (typeof waitingRoomModes)[number];
  open: boolean;
  /** An operator's fixed admission rate, or null: the room finds the rate the lifecycle keeps its target at. */
  ratePerSecond: number | null;
  /** Tickets admitted per second while open (the operator's rate, or the one the room found). */
  admitRate: number;
  reason: string;
  changedAt: string;
  waiting: number;
  inFlight: number;
  /** The pace the line moves at: tickets leaving it per second (admitted or expired), or orders completed where faster; about ten seconds' average. */
  admittedPerSecond: number;
  completedPerSecond: number;
  confirmP90Seconds: number | null;
  oldestInFlightSeconds: number;
  targetSeconds: number;
}

export const waitingRoomChangeSchema = z
  .object({
    mode: z.enum(waitingRoomModes),
    ratePerSecond: z.number().positive().max(10_000).nullable().optional(),
  })
  .strict();
export type WaitingRoomChange = z.infer<typeof waitingRoomChangeSchema>;
