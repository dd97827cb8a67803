import type { Consumer } from 'kafkajs';
import { OffsetTracker } from './offset-tracker';

type Commit = Array<{ topic: string; partition: number; offset: string }>;

function fakeConsumer(fail: () => boolean): { consumer: Consumer; commits: Commit[] } {
  const commits: Commit[] = [];
  const consumer = {
    commitOffsets: async (offsets: Commit) => {
      if (fail()) throw new Error('the coordinator is loading');
      commits.push(offsets);
    },
  } as unknown as Consumer;
  return { consumer, commits };
}

describe('OffsetTracker', () => {
  it('commits the next offset to read, the highest finished per partition', async () => {
    const { consumer, commits } = fakeConsumer(() => false);
    const tracker = new OffsetTracker(consumer);
    tracker.finished('t', 0, '4');
    tracker.finished('t', 0, '2');
    tracker.finished('t', 1, '9');
    await tracker.flush();
    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: '5' }, { topic: 't', partition: 1, offset: '10' }]]);
    await tracker.flush();
    expect(commits).toHaveLength(1);
  });

  it('keeps offsets whose commit failed for the next flush, so no finished record shows as lag for good', async () => {
    let failing = true;
    const { consumer, commits } = fakeConsumer(() => failing);
    const tracker = new OffsetTracker(consumer);
    tracker.finished('t', 0, '4');
    await expect(tracker.flush()).rejects.toThrow('the coordinator is loading');
    failing = false;
    await tracker.flush();
    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: '5' }]]);
  });

  it('lets a newer offset finished during a failed commit win over the one kept back', async () => {
    let release!: () => void;
    let first = true;
    const commits: Commit[] = [];
    const consumer = {
      commitOffsets: async (offsets: Commit) => {
        if (first) {
          first = false;
          await new Promise<void>((r) => (release = r));
          throw new Error('rebalance in progress');
        }
        commits.push(offsets);
      },
    } as unknown as Consumer;
    const tracker = new OffsetTracker(consumer);
    tracker.finished('t', 0, '4');
    const failed = tracker.flush();
    tracker.finished('t', 0, '7');
    release();
    await expect(failed).rejects.toThrow();
    await tracker.flush();
    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: '8' }]]);
  });
});
