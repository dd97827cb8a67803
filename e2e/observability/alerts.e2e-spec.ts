import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { Topics } from '@shop/shared/contracts';
import { eventually, PrometheusAlert, TestPlatform, TestPrometheus } from '@shop/testing';

const SERVICES = ['catalog', 'order', 'payment', 'delivery', 'review'] as const;

const firing = (alerts: PrometheusAlert[], name: string) => alerts.filter((a) => a.state === 'firing' && a.labels.alertname === name);

/**
 * The shipped alert rules (deploy/prometheus/alerts.yml) on the running
 * platform: Prometheus scrapes the five services, and two faults are provoked
 * for real. The rules are the shipped ones but for their `for:` durations,
 * cut to two seconds so the test waits seconds, not minutes.
 */
describe('alert rules on the running platform', () => {
  let platform: TestPlatform;
  let prometheus: TestPrometheus;
  let producer: Producer;

  beforeAll(async () => {
    platform = await TestPlatform.start({ apps: [...SERVICES] });
    prometheus = await TestPrometheus.start(
      SERVICES.map((app) => ({ job: app, address: new URL(platform.url(app)).host })),
      { forDurations: '2s' },
    );
    producer = platform.kafka.kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  }, 180_000);

  afterAll(async () => {
    await producer?.disconnect();
    await prometheus?.stop();
    await platform?.stop();
  });

  it('scrapes every service, and nothing fires while the platform is healthy', async () => {
    await eventually(async () => {
      expect((await prometheus.targets()).map((t) => `${t.job}: ${t.health}`).sort()).toEqual(SERVICES.map((s) => `${s}: up`).sort());
    }, 30_000);
    expect((await prometheus.alerts()).filter((a) => a.state === 'firing')).toEqual([]);
  });

  it('DeadLettersArriving fires when a consumer parks a record it cannot read', async () => {
    const key = randomUUID();
    await producer.send({ topic: platform.kafka.topic(Topics.orderOrders), messages: [{ key, value: '{"broken": ', headers: { 'event-id': key } }] });
    const alert = await eventually(async () => {
      const found = firing(await prometheus.alerts(), 'DeadLettersArriving').filter((a) => a.labels.job === 'payment');
      expect(found).toHaveLength(1);
      return found[0];
    }, 60_000);
    // The group's name carries the test's prefix, as its topics do.
    expect(alert.labels).toMatchObject({ severity: 'ticket', group: expect.stringMatching(/payment$/), topic: platform.kafka.topic(Topics.orderOrders) });
  });

  it('AppDown fires when a service stops answering', async () => {
    await platform.stopApp('delivery');
    const alert = await eventually(async () => {
      const found = firing(await prometheus.alerts(), 'AppDown');
      expect(found).toHaveLength(1);
      return found[0];
    }, 60_000);
    expect(alert.labels).toMatchObject({ job: 'delivery', severity: 'page' });
  });
});
