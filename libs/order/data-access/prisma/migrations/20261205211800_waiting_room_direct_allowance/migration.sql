-- While the waiting room waits to open, checkouts are placed at once only up to about one second of what the
-- lifecycle completes; the ones beyond that open the room (docs/waiting-room.md). Every replica spends the same
-- allowance, so it lives in the room's row.
ALTER TABLE "waiting_room" ADD COLUMN "direct_allowance" DOUBLE PRECISION NOT NULL DEFAULT 0;
