import { loadOrderConfig } from './order.config';

const base = { DATABASE_URL: 'postgresql://svc_order@localhost/shop', KAFKA_BROKERS: '127.0.0.1:9092', JWT_SECRET: 'order-config-spec-secret-0123456789ab' };

describe('order configuration', () => {
  it('finds the catalog, whose export the snapshot is imported from, where the local stack runs it', () => {
    expect(loadOrderConfig(base)).toMatchObject({ PORT: 3002, DATABASE_SCHEMA: 'orders', CATALOG_URL: 'http://127.0.0.1:3001' });
    expect(loadOrderConfig({ ...base, CATALOG_URL: 'https://catalog.shop.internal:8443' }).CATALOG_URL).toBe('https://catalog.shop.internal:8443');
  });

  it('stops on a catalog URL that is not http(s), with one line', () => {
    expect(() => loadOrderConfig({ ...base, CATALOG_URL: 'catalog:3001' })).toThrow(/^invalid configuration: CATALOG_URL="catalog:3001": .+$/);
    expect(() => loadOrderConfig({ ...base, CATALOG_URL: 'ftp://catalog' })).toThrow(/^invalid configuration: CATALOG_URL="ftp:\/\/catalog": .+$/);
  });
});
