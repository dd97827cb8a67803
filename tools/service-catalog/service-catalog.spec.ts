import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkCatalog, CodeFacts, readCatalog, readCode, root } from './service-catalog';

const facts: CodeFacts = readCode();
const tree = readCatalog();

describe('the service catalog (catalog-info.yaml)', () => {
  it('says what the code and the manifests say: events, topics, calls, ports, schemas, runbooks', () => {
    expect(checkCatalog(tree, facts)).toEqual([]);
  });

  it('has one Component per app, each owned and with a lifecycle', () => {
    const components = tree.filter((e) => e.kind === 'Component').map((e) => e.metadata.name);
    expect(components.sort()).toEqual(facts.apps);
    expect(facts.apps).toEqual(expect.arrayContaining(['api-gateway', 'catalog', 'order', 'payment', 'delivery', 'review', 'storefront']));
  });

  it('finds the platform as it is wired, so a drift has something to disagree with', () => {
    expect(facts.consumed.review).toEqual(['order.delivered']);
    expect(facts.gatewayUpstreams).toEqual(['catalog', 'order', 'payment', 'delivery', 'review']);
    expect(facts.published.payment).toEqual(['payment.authorized', 'payment.declined', 'payment.refunded']);
    expect(facts.allowedCalls).toEqual(expect.arrayContaining([{ from: 'order', to: 'catalog', port: 3001 }, { from: 'storefront', to: 'api-gateway', port: 3000 }]));
    expect(facts.allowedCalls).not.toContainEqual(expect.objectContaining({ from: 'payment' }));
  });

  describe('a drifted copy', () => {
    let dir: string;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'service-catalog-'));
      for (const file of [...new Set(tree.map((e) => e.file))]) {
        mkdirSync(join(dir, dirname(file)), { recursive: true });
        cpSync(join(root, file), join(dir, file));
      }
    });

    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const drift = (file: string, from: string | RegExp, to: string) => {
      const text = readFileSync(join(dir, file), 'utf8');
      const drifted = text.replace(from, to);
      if (drifted === text) throw new Error(`the fixture's drift did not apply to ${file}: ${String(from)}`);
      writeFileSync(join(dir, file), drifted);
    };

    it('is refused with one line per disagreement', () => {
      // The review service forgets the event it handles, and the topic it comes on.
      drift('apps/review/catalog-info.yaml', /shop\/consumes: order\.delivered/, 'shop/consumes: order.shipped');
      drift('apps/review/catalog-info.yaml', 'consumesApis: [topic-order-orders-v1]', 'consumesApis: []');
      // The order service no longer says it calls the catalog's export.
      drift('apps/order/catalog-info.yaml', ', component:catalog]', ']');
      // The gateway gains an upstream it does not have.
      drift('apps/api-gateway/catalog-info.yaml', 'component:review]', 'component:review, component:storefront]');
      // A wrong port, a schema of another service, a topic without its entity, a runbook heading that is not there.
      drift('apps/catalog/catalog-info.yaml', 'shop/port: "3001"', 'shop/port: "3011"');
      drift('apps/payment/catalog-info.yaml', 'shop/postgres-schema: payments', 'shop/postgres-schema: orders');
      drift('apps/delivery/catalog-info.yaml', /---\napiVersion: backstage\.io\/v1alpha1\nkind: API\nmetadata:\n {2}name: topic-delivery-deliveries-v1[\s\S]*$/, '');
      drift('apps/storefront/catalog-info.yaml', 'runbooks.md#storefront', 'runbooks.md#shop-window');

      // And the contracts forget one of the payment group's events (a handler added without its subscription).
      const errors = checkCatalog(readCatalog(dir), { ...facts, subscriptions: { ...facts.subscriptions, payment: ['order.awaiting-payment'] } });
      expect(errors.sort()).toEqual(
        [
          'apps/review/catalog-info.yaml: Component review: shop/consumes lists order.shipped; its handlers take order.delivered',
          'apps/review/catalog-info.yaml: Component review: consumes the topics nothing; its handlers read order.orders.v1',
          'apps/order/catalog-info.yaml: Component order: depends on nothing; its k8s Deployment is given the URLs of catalog',
          'apps/order/catalog-info.yaml: Component order: depends on nothing; the NetworkPolicies let it call catalog',
          'apps/api-gateway/catalog-info.yaml: Component api-gateway: depends on catalog, delivery, order, payment, review, storefront; its k8s Deployment is given the URLs of catalog, delivery, order, payment, review',
          'apps/api-gateway/catalog-info.yaml: Component api-gateway: depends on catalog, delivery, order, payment, review, storefront; the NetworkPolicies let it call catalog, delivery, order, payment, review',
          'apps/api-gateway/catalog-info.yaml: Component api-gateway: depends on catalog, delivery, order, payment, review, storefront; its upstreams (src/upstreams) are catalog, delivery, order, payment, review',
          'apps/catalog/catalog-info.yaml: Component catalog: port 3011, its k8s Service says 3001',
          'apps/catalog/catalog-info.yaml: Component catalog: port 3011, tools/apps.ts says 3001',
          'apps/payment/catalog-info.yaml: Component payment: owns the schemas orders; tools/infra/postgres.ts gives it payments',
          'apps/payment/catalog-info.yaml: Resource payments-schema: libs/payment/data-access/prisma/schema.prisma is not the schema `orders` of `svc_payment`',
          'topic delivery.deliveries.v1: 0 API entities name it, expected one',
          'apps/delivery/catalog-info.yaml: Component delivery: providesApis names topic-delivery-deliveries-v1, which no entity of the catalog is',
          'apps/delivery/catalog-info.yaml: Component delivery: provides the topics nothing; its code publishes to delivery.deliveries.v1',
          'apps/order/catalog-info.yaml: Component order: consumesApis names topic-delivery-deliveries-v1, which no entity of the catalog is',
          'apps/order/catalog-info.yaml: Component order: consumes the topics catalog.products.v1, catalog.reservations.v1, payment.payments.v1; its handlers read catalog.products.v1, catalog.reservations.v1, delivery.deliveries.v1, payment.payments.v1',
          'libs/shared/contracts: EventSubscriptions.payment lists order.awaiting-payment; its handlers take order.awaiting-payment, order.cancelled',
          'apps/storefront/catalog-info.yaml: Component storefront: links ../../docs/runbooks.md#shop-window, a heading docs/runbooks.md does not have',
        ].sort(),
      );
    });
  });
});
