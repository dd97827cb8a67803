-- CreateTable
CREATE TABLE "rating_contributions" (
    "review_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "rating" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rating_contributions_pkey" PRIMARY KEY ("review_id")
);

-- CreateIndex
CREATE INDEX "rating_contributions_product_id_idx" ON "rating_contributions"("product_id");

ALTER TABLE "rating_contributions" ADD CONSTRAINT "rating_contributions_rating_check" CHECK ("rating" BETWEEN 1 AND 5);
