import { loadDeliveryConfig } from './delivery.config';

const base = { DATABASE_URL: 'postgresql://svc_delivery@localhost/shop', KAFKA_BROKERS: '127.0.0.1:9092', JWT_SECRET: 'delivery-config-spec-secret-0123456789' };

describe('delivery configuration', () => {
  it('defaults to port 3004, the deliveries schema and the courier delays of the local stack', () => {
    expect(loadDeliveryConfig(base)).toMatchObject({
      PORT: 3004,
      DATABASE_SCHEMA: 'deliveries',
      DELIVERY_DISPATCH_DELAY_MS: 3000,
      DELIVERY_COMPLETE_DELAY_MS: 5000,
      COURIER_POLL_INTERVAL_MS: 200,
    });
  });

  it('takes 0 (at once) and -1 (never by itself) as courier delays', () => {
    expect(loadDeliveryConfig({ ...base, DELIVERY_DISPATCH_DELAY_MS: '0', DELIVERY_COMPLETE_DELAY_MS: '-1' })).toMatchObject({
      DELIVERY_DISPATCH_DELAY_MS: 0,
      DELIVERY_COMPLETE_DELAY_MS: -1,
    });
  });

  it('names every bad courier variable on one line', () => {
    expect(() => loadDeliveryConfig({ ...base, DELIVERY_DISPATCH_DELAY_MS: '-2', DELIVERY_COMPLETE_DELAY_MS: '1.5', COURIER_POLL_INTERVAL_MS: 'soon' })).toThrow(
      /^invalid configuration: DELIVERY_DISPATCH_DELAY_MS="-2": .+; DELIVERY_COMPLETE_DELAY_MS="1.5": .+; COURIER_POLL_INTERVAL_MS="soon": .+$/,
    );
  });

  it('needs a way to verify tokens', () => {
    expect(() => loadDeliveryConfig({ ...base, JWT_SECRET: undefined })).toThrow('invalid configuration: JWT_SECRET is not set');
  });
});
