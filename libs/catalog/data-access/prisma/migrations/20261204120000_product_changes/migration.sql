-- The products' change sequence, for the export the order service imports its snapshot from without the broker.
-- Each change to what the export carries (sku, name, description, price, currency) takes the next number from
-- the clock row, whose row lock holds until the change commits: numbers are handed out in commit order, so a
-- reader that has seen number n will never later see a new row below n (a sequence would not promise that: a
-- transaction holding number 5 can commit after one holding 6). Only admin changes of these fields wait on each
-- other; stock reservations do not change them and never touch the clock.
CREATE TABLE "change_clock" (
    "name" TEXT NOT NULL,
    "seq" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "change_clock_pkey" PRIMARY KEY ("name")
);

ALTER TABLE "products" ADD COLUMN "change_seq" BIGINT, ADD COLUMN "changed_at" TIMESTAMPTZ(3);

UPDATE "products" p SET "change_seq" = o.n, "changed_at" = p."updated_at"
  FROM (SELECT "id", row_number() OVER (ORDER BY "updated_at", "id") AS n FROM "products") o
 WHERE o."id" = p."id";
INSERT INTO "change_clock" ("name", "seq") SELECT 'products', coalesce(max("change_seq"), 0) FROM "products";

ALTER TABLE "products" ALTER COLUMN "change_seq" SET NOT NULL, ALTER COLUMN "changed_at" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "products_change_seq_key" ON "products"("change_seq");

-- The clock is read after its lock is granted, so changed_at grows with change_seq.
CREATE FUNCTION "products_stamp_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "change_clock" SET "seq" = "seq" + 1 WHERE "name" = 'products' RETURNING "seq" INTO NEW."change_seq";
    NEW."changed_at" := clock_timestamp();
    RETURN NEW;
END
$$;
CREATE TRIGGER "products_stamp_change_insert" BEFORE INSERT ON "products"
    FOR EACH ROW EXECUTE FUNCTION "products_stamp_change"();
CREATE TRIGGER "products_stamp_change_update" BEFORE UPDATE ON "products"
    FOR EACH ROW
    WHEN ((OLD."sku", OLD."name", OLD."description", OLD."price_cents", OLD."currency")
          IS DISTINCT FROM (NEW."sku", NEW."name", NEW."description", NEW."price_cents", NEW."currency"))
    EXECUTE FUNCTION "products_stamp_change"();
