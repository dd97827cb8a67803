import { loadCatalogConfig } from './catalog.config';

const base = { DATABASE_URL: 'postgresql://svc_catalog@localhost/shop', KAFKA_BROKERS: '127.0.0.1:9092', JWT_SECRET: 'catalog-config-spec-secret-0123456789' };

describe('catalog configuration', () => {
  it('finds the review service, whose export the ratings are imported from, where the local stack runs it', () => {
    expect(loadCatalogConfig(base)).toMatchObject({ PORT: 3001, DATABASE_SCHEMA: 'catalog', REVIEW_URL: 'http://127.0.0.1:3005' });
  });

  it('stops on a review URL that is not a URL, with one line', () => {
    expect(() => loadCatalogConfig({ ...base, REVIEW_URL: 'review' })).toThrow(/^invalid configuration: REVIEW_URL="review": .+$/);
  });
});
