-- The messaging tables every service has, defined once in libs/platform/messaging/migrations and copied into
-- each service's migrations by tools/messaging-tables.js (a test holds the copies equal: edit the original).
-- Services made before this migration have the tables already; IF NOT EXISTS makes it a no-op for them.

-- Integration events written in the transaction of the change they announce; the relay publishes them in seq order.
CREATE TABLE IF NOT EXISTS "outbox" (
    "seq" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("seq")
);
CREATE UNIQUE INDEX IF NOT EXISTS "outbox_id_key" ON "outbox"("id");
CREATE INDEX IF NOT EXISTS "outbox_key_seq_idx" ON "outbox"("key", "seq");
CREATE INDEX IF NOT EXISTS "outbox_unpublished_idx" ON "outbox"("seq") WHERE "published_at" IS NULL;

-- The events each consumer group has applied, written in the transaction of their effect.
CREATE TABLE IF NOT EXISTS "inbox" (
    "consumer_group" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("consumer_group","event_id")
);
-- Pruning finds old rows by age.
CREATE INDEX IF NOT EXISTS "inbox_processed_at_idx" ON "inbox"("processed_at");

-- Dead letters already re-published by a replay (Kafka cannot delete one record).
CREATE TABLE IF NOT EXISTS "dead_letter_replays" (
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset" BIGINT NOT NULL,
    "replayed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dead_letter_replays_pkey" PRIMARY KEY ("topic","partition","offset")
);

-- The relay wakes when rows are committed: one NOTIFY per inserting statement, on the schema's channel
-- (outbox_<schema>), delivered at commit. The writers send nothing more than their insert.
CREATE OR REPLACE FUNCTION "outbox_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox_' || TG_TABLE_SCHEMA, '');
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS "outbox_notify" ON "outbox";
CREATE TRIGGER "outbox_notify" AFTER INSERT ON "outbox" FOR EACH STATEMENT EXECUTE FUNCTION "outbox_notify"();
