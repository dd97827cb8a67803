-- A customer's cancel of a confirmed order waits for the delivery service's decision (the parcel may be leaving):
-- when it was asked for is kept on the order, and the history entry that settles it says why.
ALTER TABLE "orders" ADD COLUMN "cancel_requested_at" TIMESTAMPTZ(3);
ALTER TABLE "order_status_history" ADD COLUMN "note" TEXT;
