-- The reviews' change sequence, for the export the catalog imports its ratings from without the broker. Reviews
-- are written once; each takes the next number from the clock row, whose row lock holds until the review
-- commits, so numbers are handed out in commit order and a reader that has seen number n never later finds a
-- new review below n (see the catalog's products_stamp_change for the same clock).
CREATE TABLE "change_clock" (
    "name" TEXT NOT NULL,
    "seq" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "change_clock_pkey" PRIMARY KEY ("name")
);

ALTER TABLE "reviews" ADD COLUMN "change_seq" BIGINT, ADD COLUMN "changed_at" TIMESTAMPTZ(3);

UPDATE "reviews" r SET "change_seq" = o.n, "changed_at" = r."created_at"
  FROM (SELECT "id", row_number() OVER (ORDER BY "created_at", "id") AS n FROM "reviews") o
 WHERE o."id" = r."id";
INSERT INTO "change_clock" ("name", "seq") SELECT 'reviews', coalesce(max("change_seq"), 0) FROM "reviews";

ALTER TABLE "reviews" ALTER COLUMN "change_seq" SET NOT NULL, ALTER COLUMN "changed_at" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "reviews_change_seq_key" ON "reviews"("change_seq");

CREATE FUNCTION "reviews_stamp_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "change_clock" SET "seq" = "seq" + 1 WHERE "name" = 'reviews' RETURNING "seq" INTO NEW."change_seq";
    NEW."changed_at" := clock_timestamp();
    RETURN NEW;
END
$$;
CREATE TRIGGER "reviews_stamp_change_insert" BEFORE INSERT ON "reviews"
    FOR EACH ROW EXECUTE FUNCTION "reviews_stamp_change"();
CREATE TRIGGER "reviews_stamp_change_update" BEFORE UPDATE ON "reviews"
    FOR EACH ROW
    WHEN ((OLD."product_id", OLD."order_id", OLD."customer_id", OLD."rating")
          IS DISTINCT FROM (NEW."product_id", NEW."order_id", NEW."customer_id", NEW."rating"))
    EXECUTE FUNCTION "reviews_stamp_change"();
