import type { WaitingRoomTicketView, WaitingRoomView } from '@shop/shared/contracts';
import type { TicketView, WaitingRoomStatus } from './waiting-room.service';

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

export function toTicketView({ ticket, position, estimatedWaitSeconds, retryAfterSeconds, expiresAt }: TicketView): WaitingRoomTicketView {
  return {
    ticketId: ticket.id,
    status: ticket.status,
    ...(position !== null ? { position } : {}),
    ...(estimatedWaitSeconds !== null ? { estimatedWaitSeconds } : {}),
    ...(retryAfterSeconds !== null ? { retryAfterSeconds } : {}),
    ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
    ...(ticket.orderId ? { orderId: ticket.orderId } : {}),
    ...(ticket.problem ? { problem: ticket.problem } : {}),
    createdAt: ticket.createdAt.toISOString(),
    ...(ticket.endedAt ? { endedAt: ticket.endedAt.toISOString() } : {}),
  };
}

export function toWaitingRoomView({ state, load, admittedPerSecond, targetSeconds }: WaitingRoomStatus): WaitingRoomView {
  return {
    mode: state.mode,
    open: state.open,
    ratePerSecond: state.ratePerSecond,
    admitRate: round(state.admitRate, 1),
    reason: state.reason,
    changedAt: state.changedAt.toISOString(),
    waiting: load.waiting,
    inFlight: load.inFlight,
    admittedPerSecond: round(admittedPerSecond, 1),
    completedPerSecond: round(load.completedPerSecond, 1),
    confirmP90Seconds: load.confirmP90Seconds === null ? null : round(load.confirmP90Seconds),
    oldestInFlightSeconds: round(load.oldestInFlightSeconds),
    targetSeconds,
  };
}
