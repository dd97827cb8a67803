-- The cancellation marks become one row per order that scheduling and cancelling both lock before
-- deciding, so of the two only one can see the other's absence (the arbiter of their race).
ALTER TABLE "order_cancellations" RENAME TO "order_guards";
ALTER TABLE "order_guards" RENAME CONSTRAINT "order_cancellations_pkey" TO "order_guards_pkey";
ALTER TABLE "order_guards" ALTER COLUMN "cancelled_at" DROP NOT NULL;
ALTER TABLE "order_guards" ALTER COLUMN "cancelled_at" DROP DEFAULT;
