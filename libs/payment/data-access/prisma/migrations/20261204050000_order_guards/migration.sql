-- The cancellation marks become one row per order that the authorization and the refund both lock before
-- deciding, so of the two only one can see the other's absence (the arbiter of their race). A row keeps
-- when the order was cancelled and when an authorization was first asked of the provider.
ALTER TABLE "order_cancellations" RENAME TO "order_guards";
ALTER TABLE "order_guards" RENAME CONSTRAINT "order_cancellations_pkey" TO "order_guards_pkey";
ALTER TABLE "order_guards" ALTER COLUMN "cancelled_at" DROP NOT NULL;
ALTER TABLE "order_guards" ALTER COLUMN "cancelled_at" DROP DEFAULT;
ALTER TABLE "order_guards" ADD COLUMN "authorizing_at" TIMESTAMPTZ(3);
