import { CourierLoop } from './courier.loop';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** The loop's scheduling alone; what a step does is proven against Postgres in the service's integration test. */
describe('CourierLoop', () => {
  let loop: CourierLoop | undefined;
  afterEach(() => loop?.stop());

  it('takes due steps until none is left, then waits for the next poll', async () => {
    let due = 3;
    const calls: number[] = [];
    loop = new CourierLoop({ pollIntervalMs: 60_000, step: async () => (calls.push(due), due-- > 0) });
    loop.start();
    await tick(20);
    expect(calls).toEqual([3, 2, 1, 0]);
  });

  it('looks again at once when woken, instead of sleeping out the poll interval', async () => {
    let due = 0;
    let steps = 0;
    loop = new CourierLoop({ pollIntervalMs: 60_000, step: async () => (steps++, due-- > 0) });
    loop.start();
    await tick(20);
    expect(steps).toBe(1);
    due = 1;
    loop.wake();
    await tick(20);
    expect(steps).toBe(3);
  });

  it('runs again right away when woken while it was busy, so a row committed meanwhile is not left for the next poll', async () => {
    let release!: () => void;
    let steps = 0;
    loop = new CourierLoop({
      pollIntervalMs: 60_000,
      step: async () => {
        steps++;
        if (steps === 1) await new Promise<void>((r) => (release = r));
        return false;
      },
    });
    loop.start();
    await tick(5);
    loop.wake();
    release();
    await tick(20);
    expect(steps).toBe(2);
  });

  it('polls by itself at the interval', async () => {
    let steps = 0;
    loop = new CourierLoop({ pollIntervalMs: 20, step: async () => (steps++, false) });
    loop.start();
    await tick(110);
    expect(steps).toBeGreaterThanOrEqual(3);
  });

  it('stops only after the step in flight has finished, and starts no other', async () => {
    let finished = false;
    let steps = 0;
    loop = new CourierLoop({
      pollIntervalMs: 1,
      step: async () => {
        steps++;
        await tick(50);
        finished = true;
        return true;
      },
    });
    loop.start();
    await tick(5);
    await loop.stop();
    expect(finished).toBe(true);
    expect(steps).toBe(1);
  });

  it('reports a failed step and carries on at the next poll', async () => {
    const errors: unknown[] = [];
    let steps = 0;
    loop = new CourierLoop({
      pollIntervalMs: 10,
      step: async () => {
        steps++;
        if (steps === 1) throw new Error('database unreachable');
        return false;
      },
      onError: (err) => errors.push(err),
    });
    loop.start();
    await tick(60);
    expect(errors).toEqual([new Error('database unreachable')]);
    expect(steps).toBeGreaterThan(1);
  });

  it('runs side-by-side workers that each drain until nothing is due', async () => {
    let due = 10;
    let inFlight = 0;
    let maxInFlight = 0;
    loop = new CourierLoop({
      pollIntervalMs: 60_000,
      concurrency: 4,
      step: async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await tick(2);
        inFlight--;
        return due-- > 0;
      },
    });
    loop.start();
    await tick(100);
    expect(due).toBeLessThan(0);
    expect(maxInFlight).toBe(4);
  });

  it('takes one step per wake while there is no backlog, however many workers it may run', async () => {
    let steps = 0;
    loop = new CourierLoop({ pollIntervalMs: 60_000, concurrency: 4, step: async () => (steps++, false) });
    loop.start();
    await tick(20);
    loop.wake();
    await tick(20);
    expect(steps).toBe(2);
  });
});
