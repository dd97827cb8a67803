/* What the catalog's read side answers with: plain types, so no Prisma type reaches the app. */

/** A product as the read routes show it: its fields, its rating counters and its times. */
export interface ProductReadModel {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  stock: number;
  version: number;
  category: string | null;
  pictureEtag: string | null;
  ratingCount: number;
  ratingSum: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A product as the export carries it (what `catalog.product-upserted` copies), with its place in the change sequence. */
export interface ProductChange {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  version: number;
  category: string | null;
  pictureEtag: string | null;
  changeSeq: bigint;
  changedAt: Date;
}

/** A category in use and how many products it has. */
export interface CategoryCount {
  name: string;
  productCount: number;
}
