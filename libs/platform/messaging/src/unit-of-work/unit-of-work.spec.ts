import type { Pool, QueryConfig } from 'pg';
import { Database } from '@shop/platform/database';
import { Outbox } from '../outbox/outbox';
import type { Write } from '@shop/platform/database';
import { UnitOfWork } from './unit-of-work';

/**
 * What the unit of work sends, statement by statement, without a database:
 * the pool under `Database` records each query and answers with the counts
 * the test chooses. What Postgres then does with those statements is
 * unit-of-work.int-spec.ts's part.
 */
interface Sent {
  /** 'begin', 'commit', 'rollback', or the statement's text. */
  text: string;
  values?: unknown[];
  /** Which pool connection it went on (each `connect()` is a new one). */
  connection: number;
}

function recordingPool(counts: (text: string) => Record<string, number> = () => ({})) {
  const sent: Sent[] = [];
  let connections = 0;
  let released = 0;
  const pool = {
    async connect() {
      const connection = ++connections;
      return {
        // Connection listens for socket errors; this pool has no socket.
        on: () => undefined,
        removeListener: () => undefined,
        release() {
          released++;
        },
        async query(query: string | QueryConfig) {
          const text = typeof query === 'string' ? query : query.text;
          sent.push({ text, values: typeof query === 'string' ? undefined : query.values, connection });
          return { rows: text.startsWith('with ') ? [counts(text)] : [], rowCount: 0 };
        },
      };
    },
  };
  return { pool: pool as unknown as Pool, sent, released: () => released, connections: () => connections };
}

const write = (sql: string, values: unknown[], extra: Partial<Write> = {}): Write => ({ sql, values, ...extra });

const upserted = (id: string) => ({
  type: 'catalog.product-upserted' as const,
  aggregateId: id,
  aggregateVersion: 1,
  data: { productId: id, sku: 'SKU-1', name: 'n', description: '', priceCents: 1, currency: 'EUR', productVersion: 1 },
});
const PRODUCT = '5b0a7c2e-3c1f-4d7e-9a55-0c2f3f6a1b11';

function recordedUnit(counts?: (text: string) => Record<string, number>) {
  const recorded = recordingPool(counts);
  return { ...recorded, unitOfWork: new UnitOfWork(new Database(recorded.pool), new Outbox({ source: 'catalog', schema: 'catalog' })) };
}

describe('unit of work (the statements it sends)', () => {
  it('numbers each write’s parameters after the ones before it, two-digit ones included', async () => {
    const { unitOfWork, sent } = recordedUnit();
    const tenth = Array.from({ length: 10 }, (_, i) => `$${i + 1}`).join(', ');
    await unitOfWork.run(async (tx) => {
      tx.write(write('update a set x = $1 where id = $2', ['x', 'a1']));
      tx.write(write(`insert into b values (${tenth})`, Array.from({ length: 10 }, (_, i) => i)));
      tx.write(write('update c set y = $2 where id = $1', ['c1', 'y']));
    });
    expect(sent).toHaveLength(1);
    expect(sent[0].text).toBe(
      'with w0 as (update a set x = $1 where id = $2), ' +
        'w1 as (insert into b values ($3, $4, $5, $6, $7, $8, $9, $10, $11, $12)), ' +
        'w2 as (update c set y = $14 where id = $13) select 1 as c',
    );
    expect(sent[0].values).toEqual(['x', 'a1', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 'c1', 'y']);
  });

  it('sends a unit that only writes as one statement, without BEGIN or COMMIT, its outbox rows in it', async () => {
    const { unitOfWork, sent, released } = recordedUnit();
    await unitOfWork.run(async (tx) => {
      tx.write(write('update products set stock = stock - $1 where id = $2', [1, PRODUCT]));
      tx.publish(upserted(PRODUCT));
    });
    expect(sent.map((s) => s.text.slice(0, 5))).toEqual(['with ']);
    expect(sent[0].text).toContain('o as (insert into outbox (id, topic, key, type, payload, headers) select * from unnest($3::uuid[]');
    const [ids, topics, keys, types] = sent[0].values?.slice(2) as string[][];
    expect({ ids: ids.length, topics, keys, types }).toEqual({ ids: 1, topics: ['catalog.products.v1'], keys: [PRODUCT], types: ['catalog.product-upserted'] });
    expect(released()).toBe(1);
  });

  it('sends nothing for a unit that neither wrote nor published', async () => {
    const { unitOfWork, sent, connections } = recordedUnit();
    expect(await unitOfWork.run(async () => 42)).toBe(42);
    expect(sent).toEqual([]);
    expect(connections()).toBe(0);
  });

  it('sends two writes of one row in separate statements, in order, and then in one transaction', async () => {
    const { unitOfWork, sent } = recordedUnit();
    await unitOfWork.run(async (tx) => {
      tx.write(write('update p set a = $1 where id = $2', [1, 'p1'], { key: 'p:1' }));
      tx.write(write('update p set b = $1 where id = $2', [2, 'p2'], { key: 'p:2' }));
      tx.write(write('update p set c = $1 where id = $2', [3, 'p1'], { key: 'p:1' }));
    });
    expect(sent.map((s) => s.text)).toEqual([
      'begin',
      'with w0 as (update p set a = $1 where id = $2), w1 as (update p set b = $3 where id = $4) select 1 as c',
      'with w0 as (update p set c = $1 where id = $2) select 1 as c',
      'commit',
    ]);
    expect(new Set(sent.map((s) => s.connection)).size).toBe(1);
  });

  it('never puts more than 32 writes in one statement', async () => {
    const { unitOfWork, sent } = recordedUnit();
    await unitOfWork.run(async (tx) => {
      for (let i = 0; i < 70; i++) tx.write(write('insert into t values ($1)', [i]));
    });
    const statements = sent.filter((s) => s.text.startsWith('with '));
    expect(statements.map((s) => s.values?.length)).toEqual([32, 32, 6]);
    expect(statements[2].values).toEqual([64, 65, 66, 67, 68, 69]);
    expect(sent[0].text).toBe('begin');
    expect(sent[sent.length - 1].text).toBe('commit');
  });

  it('sends the pending writes before a read, in the transaction the read begins', async () => {
    const { unitOfWork, sent } = recordedUnit();
    await unitOfWork.run(async (tx) => {
      tx.write(write('update a set x = $1', [1]));
      await tx.query('select x from a where id = $1 for update', ['a1']);
      tx.write(write('update a set y = $1', [2]));
    });
    expect(sent.map((s) => s.text)).toEqual([
      'begin',
      'with w0 as (update a set x = $1) select 1 as c',
      'select x from a where id = $1 for update',
      'with w0 as (update a set y = $1) select 1 as c',
      'commit',
    ]);
  });

  it('checks a counted write after its statement and rolls the unit back when the check refuses it', async () => {
    const { unitOfWork, sent, released } = recordedUnit(() => ({ c0: 1, c1: 0 }));
    const seen: number[] = [];
    const committed = jest.fn();
    const refused = new Error('version moved');
    await expect(
      unitOfWork.run(async (tx) => {
        tx.afterCommit(committed);
        tx.write(write('update a set x = 1 where id = $1 returning id', ['a1'], { expect: (n) => seen.push(n) }));
        tx.write(
          write('update b set v = v + 1 where id = $1 and v = $2', ['b1', 3], {
            expect: (n) => {
              if (n !== 1) throw refused;
            },
          }),
        );
      }),
    ).rejects.toBe(refused);
    expect(sent.map((s) => s.text)).toEqual([
      'begin',
      'with w0 as (update a set x = 1 where id = $1 returning id), w1 as (update b set v = v + 1 where id = $2 and v = $3 returning 1) ' +
        'select (select count(*) from w0)::int as c0, (select count(*) from w1)::int as c1',
      'rollback',
    ]);
    expect(seen).toEqual([1]);
    expect(committed).not.toHaveBeenCalled();
    expect(released()).toBe(1);
  });

  it('runs afterCommit callbacks once committed, and keeps nothing when the work throws', async () => {
    const { unitOfWork, sent } = recordedUnit();
    const order: string[] = [];
    await unitOfWork.run(async (tx) => {
      tx.afterCommit(() => order.push('after commit'));
      await tx.query('select 1');
      order.push('work done');
    });
    expect(order).toEqual(['work done', 'after commit']);
    expect(sent.map((s) => s.text)).toEqual(['begin', 'select 1', 'commit']);

    const failing = recordedUnit();
    const after = jest.fn();
    await expect(
      failing.unitOfWork.run(async (tx) => {
        tx.afterCommit(after);
        await tx.query('select 1');
        tx.write(write('update a set x = $1', [1]));
        throw new Error('the use case failed');
      }),
    ).rejects.toThrow('the use case failed');
    expect(failing.sent.map((s) => s.text)).toEqual(['begin', 'select 1', 'rollback']);
    expect(after).not.toHaveBeenCalled();
  });
});
