-- CreateTable
CREATE TABLE "dead_letter_replays" (
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset" BIGINT NOT NULL,
    "replayed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dead_letter_replays_pkey" PRIMARY KEY ("topic","partition","offset")
);
