/**
 * The shared lock (EventHandler.locks, lockShared) of everything that changes
 * product rows outside a single request: products are shared by all orders, so
 * the batches of two partitions (each one unit of several orders) would
 * otherwise lock the same rows in crossing orders and deadlock. Those batches,
 * and a ratings rebuild, take turns instead. It names rows of this library's
 * tables, so it lives here and not in the domain, which knows no locks.
 */
export const PRODUCT_ROWS = 'catalog.products';
