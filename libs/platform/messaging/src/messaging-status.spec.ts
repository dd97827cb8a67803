import { messagingStatus, MessagingStatusSources } from './messaging-status';

const relay = { running: true, leader: true, oldestPendingSeconds: 1.5, consecutiveFailures: 0, failedRows: 0, blockedTopics: [] };
const since = new Date('2026-01-02T03:04:05.000Z');

function sources(overrides: Partial<MessagingStatusSources> = {}): MessagingStatusSources {
  return {
    backlog: async () => 3,
    relay: async () => relay,
    consumers: () => [{ group: 'order', status: 'running', since, restarts: 1 }],
    lag: async () => [
      { topic: 'catalog.products.v1', group: 'order', lag: 4 },
      { topic: 'payment.payments.v1', group: 'order', lag: 2 },
    ],
    ...overrides,
  };
}

describe('messagingStatus', () => {
  it('sums the lag over topics and reports the outbox and each consumer', async () => {
    expect(await messagingStatus(sources())).toEqual({
      outbox: { backlog: 3, oldestPendingSeconds: 1.5, leader: true, running: true, consecutiveFailures: 0, lastError: null, failedRows: 0, blockedTopics: [] },
      consumers: [{ group: 'order', status: 'running', since: '2026-01-02T03:04:05.000Z', restarts: 1, lastError: null }],
      lag: [
        { topic: 'catalog.products.v1', group: 'order', lag: 4 },
        { topic: 'payment.payments.v1', group: 'order', lag: 2 },
      ],
      totalLag: 6,
      lagError: null,
    });
  });

  it('says why the lag is unknown when the broker does not answer, and still reports the outbox', async () => {
    const status = await messagingStatus(sources({ lag: async () => Promise.reject(new Error('broker down')) }));
    expect(status).toMatchObject({ lag: [], totalLag: 0, lagError: 'broker down', outbox: { backlog: 3 } });
  });
});
