import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureTopics } from '@shop/platform/messaging';
import { useKafka } from '@shop/testing';
import { checkConsumerScaling } from './deploy-consistency';
import { dataServices, renderKustomize, root } from './deploy-manifests';

/** Kafka as the deployments use it, against the real broker of the integration run. */
describe('Kafka in the deployments (real broker)', () => {
  const port = (url: string) => Number(url.split(',')[0].split(':').pop());
  const healthcheck = (p: number) => spawnSync('bash', [join(root, 'deploy', 'kafka', 'healthcheck.sh'), String(p)], { encoding: 'utf8' });

  it('passes the health check compose and Kubernetes run, which a listener that is not Kafka fails', () => {
    expect(healthcheck(port(process.env.KAFKA_BROKERS as string)).status).toBe(0);
    expect(healthcheck(port(process.env.DATABASE_ADMIN_URL?.replace(/\/[^/]*$/, '') as string)).status).toBe(1);
  });

  it('never scales a consumer past the partitions the services create its topics with', async () => {
    const kafka = useKafka();
    try {
      const topic = kafka.topic('orders');
      // As the services create theirs (libs/platform/messaging): the count a replica can get a share of.
      await ensureTopics(kafka.kafka(), [topic]);
      const admin = kafka.kafka().admin();
      await admin.connect();
      const [{ partitions }] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      await admin.disconnect();
      const consumers = dataServices().map((s) => s.service);
      expect(checkConsumerScaling(renderKustomize(join(root, 'k8s', 'base')), consumers, partitions.length)).toEqual([]);
    } finally {
      await kafka.cleanup();
    }
  });
});
