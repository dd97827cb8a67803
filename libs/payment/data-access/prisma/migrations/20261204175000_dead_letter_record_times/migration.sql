-- A replayed dead letter is remembered by its record's timestamp too: offsets start again at 0 on a new broker
-- (a first start, a recreated topic, a restored cluster), and a new dead letter at an offset replayed before
-- must not be taken for the old one. Rows from before carry 0 and match no record: what they hid is listed
-- again, and replaying it twice is absorbed by the consumers' inboxes.
ALTER TABLE "dead_letter_replays" ADD COLUMN "record_timestamp" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "dead_letter_replays" DROP CONSTRAINT "dead_letter_replays_pkey";
ALTER TABLE "dead_letter_replays" ADD CONSTRAINT "dead_letter_replays_pkey" PRIMARY KEY ("topic", "partition", "offset", "record_timestamp");
