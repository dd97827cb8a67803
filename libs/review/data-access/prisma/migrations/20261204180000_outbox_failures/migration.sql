-- A row the broker refuses for good (a record too large, an invalid one) is set aside with the broker's error
-- instead of being sent again for ever: it and the later rows of its aggregate wait (their order must hold) while
-- every other aggregate's events go on. An operator's republish of that aggregate clears the mark.
ALTER TABLE "outbox" ADD COLUMN "failed_at" TIMESTAMPTZ(3);
ALTER TABLE "outbox" ADD COLUMN "last_error" TEXT;
CREATE INDEX IF NOT EXISTS "outbox_failed_idx" ON "outbox"("key", "seq") WHERE "failed_at" IS NOT NULL AND "published_at" IS NULL;
