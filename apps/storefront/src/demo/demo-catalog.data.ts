/**
 * The demo catalog a fresh local stack opens on (`npm start`, compose):
 * loaded through the gateway's public API by demo-catalog.loader.ts, so the
 * catalog's events flow as for any product. Plain data, read by the loader
 * (Node) and by the browser app, which shows each demo product's picture
 * (`public/pictures/<picture>.svg`, served by the storefront) and category.
 * Each is created with its category (as the catalog spells categories, see demoCategorySlug); its drawing is
 * an SVG, which the catalog does not take as a picture (scripts can hide in one), so the shop shows it by SKU
 * where the product has no picture of its own.
 */
export interface DemoProduct {
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: 'EUR';
  stock: number;
  category: DemoCategory;
  /** File name under /pictures, without `.svg`. */
  picture: string;
}

export type DemoCategory = 'Kitchen' | 'Tea & coffee' | 'Desk' | 'Home';

/** The category as the catalog takes it: `Tea & coffee` → `tea-and-coffee`. */
export function demoCategorySlug(category: DemoCategory): string {
  return category
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const product = (sku: string, category: DemoCategory, name: string, priceCents: number, stock: number, description: string, picture: string): DemoProduct => ({
  sku,
  name,
  description,
  priceCents,
  currency: 'EUR',
  stock,
  category,
  picture,
});

/** In loading order: the shop lists newest first, so the last one here is the first one seen. */
export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  product('DEMO-KIT-KETTLE', 'Kitchen', 'Copper Kettle', 4500, 40, 'Boils a litre in three minutes; whistles when it is done.', 'kettle'),
  product('DEMO-KIT-PAN', 'Kitchen', 'Cast-iron Pan', 3900, 30, 'A 26 cm skillet that goes from the hob to the oven.', 'pan'),
  product('DEMO-KIT-KNIFE', 'Kitchen', "Chef's Knife", 5900, 25, '20 cm of carbon steel with an oak handle.', 'knife'),
  product('DEMO-KIT-BOARD', 'Kitchen', 'Walnut Cutting Board', 3200, 35, 'End-grain walnut, kind to knife edges.', 'board'),
  product('DEMO-TEA-POT', 'Tea & coffee', 'Glass Teapot', 2400, 50, 'Holds 800 ml, with a steel infuser.', 'teapot'),
  product('DEMO-TEA-MUG', 'Tea & coffee', 'Stoneware Mug', 1200, 120, 'Holds 350 ml; glazed by hand, so no two are alike.', 'mug'),
  product('DEMO-TEA-GRINDER', 'Tea & coffee', 'Hand Coffee Grinder', 6900, 20, 'Conical ceramic burrs, from espresso to French press.', 'grinder'),
  product('DEMO-TEA-SENCHA', 'Tea & coffee', 'Sencha Green Tea', 900, 200, '100 g of loose-leaf first-flush sencha.', 'sencha'),
  product('DEMO-DESK-NOTEBOOK', 'Desk', 'Dotted Notebook', 1500, 150, 'A5, 192 pages of 100 g paper that fountain pens like.', 'notebook'),
  product('DEMO-DESK-PEN', 'Desk', 'Fountain Pen', 3500, 60, 'A medium steel nib and a converter for bottled ink.', 'pen'),
  product('DEMO-DESK-LAMP', 'Desk', 'Desk Lamp', 7900, 15, 'Warm white LED on an arm that stays where you put it.', 'lamp'),
  product('DEMO-DESK-PLANT', 'Desk', 'Potted Succulent', 1100, 80, 'Asks for light and, now and then, a little water.', 'plant'),
  product('DEMO-HOME-CANDLE', 'Home', 'Beeswax Candle', 1400, 90, 'Burns for forty hours and smells faintly of honey.', 'candle'),
  product('DEMO-HOME-BLANKET', 'Home', 'Wool Blanket', 8900, 12, '130 × 180 cm of lambswool in a herringbone weave.', 'blanket'),
  product('DEMO-HOME-VASE', 'Home', 'Ceramic Vase', 2900, 28, 'Matte white, 24 cm tall, for a handful of stems.', 'vase'),
  product('DEMO-HOME-CLOCK', 'Home', 'Wall Clock', 4900, 18, 'A silent sweep movement behind a 30 cm birch face.', 'clock'),
];

/** A demo product's extras by SKU; undefined for any other product. */
export function demoProduct(sku: string): DemoProduct | undefined {
  return DEMO_BY_SKU.get(sku);
}

const DEMO_BY_SKU = new Map(DEMO_PRODUCTS.map((p) => [p.sku, p]));
