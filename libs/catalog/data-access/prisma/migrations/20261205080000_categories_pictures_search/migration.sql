-- Categories, pictures and full-text search.
--
-- A product has at most one category (a short label such as "kitchen"), browsed with ?category=.
ALTER TABLE "products" ADD COLUMN "category" TEXT;
CREATE INDEX "products_category_created_at_id_idx" ON "products"("category", "created_at" DESC, "id" DESC);

-- A product's picture lives in the catalog's own schema, beside the product it shows: it survives a restart and
-- is served by the catalog through the gateway, in compose and in Kubernetes alike, with no volume to provision
-- and no second store to keep consistent (a picture and the product's picture_etag change in one transaction).
CREATE TABLE "product_pictures" (
    "product_id" UUID NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "product_pictures_pkey" PRIMARY KEY ("product_id"),
    CONSTRAINT "product_pictures_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE,
    CONSTRAINT "product_pictures_content_type_check" CHECK ("content_type" IN ('image/png', 'image/jpeg', 'image/webp')),
    CONSTRAINT "product_pictures_size_check" CHECK ("size" = octet_length("data") AND "size" > 0)
);
-- The picture's sha256 on the product row: lists and events say whether there is a picture (and its version)
-- without reading the bytes.
ALTER TABLE "products" ADD COLUMN "picture_etag" TEXT;

-- Full-text search: name and sku weigh most, then the category, then the description. 'simple' keeps SKUs and
-- names as written (no stemming of brand names); the description is stemmed as English.
ALTER TABLE "products" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, "name" || ' ' || "sku"), 'A') ||
    setweight(to_tsvector('simple'::regconfig, coalesce("category", '')), 'B') ||
    setweight(to_tsvector('english'::regconfig, "description"), 'C')
) STORED;
CREATE INDEX "products_search_idx" ON "products" USING GIN ("search");
CREATE INDEX "products_price_cents_idx" ON "products"("price_cents");

-- The export carries the category and the picture's etag too: a change to either takes a new change number.
DROP TRIGGER "products_stamp_change_update" ON "products";
CREATE TRIGGER "products_stamp_change_update" BEFORE UPDATE ON "products"
    FOR EACH ROW
    WHEN ((OLD."sku", OLD."name", OLD."description", OLD."price_cents", OLD."currency", OLD."category", OLD."picture_etag")
          IS DISTINCT FROM (NEW."sku", NEW."name", NEW."description", NEW."price_cents", NEW."currency", NEW."category", NEW."picture_etag"))
    EXECUTE FUNCTION "products_stamp_change"();
