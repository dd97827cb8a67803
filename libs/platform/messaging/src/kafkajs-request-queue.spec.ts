import { correctKafkajsRequestQueue, kafkajsRequestQueue } from './kafkajs-request-queue';

interface Queue {
  pending: unknown[];
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  push(request: { entry: ReturnType<typeof entry>; expectResponse: boolean; sendRequest(): void }): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(ms: number): void;
  destroy(): void;
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function queue(maxInFlightRequests: number | null = null): Queue {
  const RequestQueue = kafkajsRequestQueue() as unknown as new (options: object) => Queue;
  return new RequestQueue({ maxInFlightRequests, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'test', broker: 'test:9092', logger: silent });
}

/** What kafkajs's connection hands the queue: the request's identity and how to settle it. */
const entry = (correlationId: number) => ({ correlationId, apiName: 'Fetch', resolve: () => undefined, reject: () => undefined });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts the queue's checks over a stretch of time after one check with nothing to do (as after every answer). */
async function checksWhileIdle(q: Queue, ms: number): Promise<number> {
  let checks = 0;
  const check = q.checkPendingRequests.bind(q);
  q.checkPendingRequests = () => {
    checks += 1;
    check();
  };
  q.checkPendingRequests();
  await sleep(ms);
  q.destroy();
  return checks - 1;
}

describe("kafkajs's request queue, corrected", () => {
  beforeAll(() => correctKafkajsRequestQueue());

  it('does not wake its process while no request waits', async () => {
    const q = queue();
    expect(await checksWhileIdle(q, 100)).toBe(0);
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('still sends a request queued behind a throttle when the throttle ends', async () => {
    const q = queue();
    const sent: number[] = [];
    q.maybeThrottle(30);
    q.push({ entry: entry(1), expectResponse: false, sendRequest: () => sent.push(1) });
    expect(sent).toEqual([]);
    await sleep(80);
    expect(sent).toEqual([1]);
    expect(q.pending).toHaveLength(0);
    q.destroy();
  });

  it('sends a request queued behind the in-flight limit when the one before is answered', () => {
    const q = queue(1);
    const sent: number[] = [];
    q.push({ entry: entry(1), expectResponse: true, sendRequest: () => sent.push(1) });
    q.push({ entry: entry(2), expectResponse: true, sendRequest: () => sent.push(2) });
    expect(sent).toEqual([1]);
    q.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    expect(sent).toEqual([1, 2]);
    q.destroy();
  });
});
