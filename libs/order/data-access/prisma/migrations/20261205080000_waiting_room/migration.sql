-- The waiting room in front of checkout (docs/waiting-room.md): its state, one row every replica reads, and its
-- line of tickets, first come first served by seq, at most one waiting ticket per customer.
CREATE TABLE "waiting_room" (
    "id" BOOLEAN NOT NULL DEFAULT TRUE,
    "mode" TEXT NOT NULL DEFAULT 'auto',
    "rate_per_second" DOUBLE PRECISION,
    "open" BOOLEAN NOT NULL DEFAULT FALSE,
    "admit_rate" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "line_rate" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "reason" TEXT NOT NULL DEFAULT '',
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    "calm_since" TIMESTAMPTZ(3),
    CONSTRAINT "waiting_room_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "waiting_room_one_row" CHECK ("id"),
    CONSTRAINT "waiting_room_mode" CHECK ("mode" IN ('auto', 'open', 'closed')),
    CONSTRAINT "waiting_room_rate" CHECK ("rate_per_second" IS NULL OR "rate_per_second" > 0)
);
INSERT INTO "waiting_room" ("reason") VALUES ('the lifecycle keeps up');

CREATE TABLE "waiting_room_tickets" (
    "seq" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "customer_id" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'WAITING',
    "order_id" UUID,
    "problem" JSONB,
    "estimated_wait_seconds" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    CONSTRAINT "waiting_room_tickets_pkey" PRIMARY KEY ("seq"),
    CONSTRAINT "waiting_room_tickets_status" CHECK ("status" IN ('WAITING', 'ADMITTED', 'EXPIRED', 'LEFT', 'FAILED'))
);
CREATE UNIQUE INDEX "waiting_room_tickets_id_key" ON "waiting_room_tickets" ("id");
CREATE UNIQUE INDEX "waiting_room_tickets_one_place_per_customer" ON "waiting_room_tickets" ("customer_id") WHERE "status" = 'WAITING';
CREATE INDEX "waiting_room_tickets_line" ON "waiting_room_tickets" ("seq") WHERE "status" = 'WAITING';
CREATE INDEX "waiting_room_tickets_ended_at" ON "waiting_room_tickets" ("ended_at");

-- What the room measures: the orders in flight, and the confirmations of the last seconds.
CREATE INDEX "orders_in_flight" ON "orders" ("created_at") WHERE "status" IN ('PENDING', 'AWAITING_PAYMENT');
CREATE INDEX "order_status_history_at" ON "order_status_history" ("at");
