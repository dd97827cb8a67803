import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '@shop/testing';

const SERVICES = ['catalog', 'order', 'payment', 'delivery', 'review'] as const;

/** docs/contract.md: each service's role can use only its own schema. */
describe('schema isolation between service roles', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    // A table in every schema, so "refused" means a permission error, not "no such table".
    for (const service of SERVICES) {
      const c = new Client({ connectionString: db.urlFor(service) });
      await c.connect();
      await c.query('create table probe (id int)');
      await c.end();
    }
  });

  afterAll(() => db?.drop());

  for (const service of SERVICES) {
    describe(`the ${service} role`, () => {
      let client: Client;
      beforeAll(async () => {
        client = new Client({ connectionString: db.urlFor(service) });
        await client.connect();
      });
      afterAll(() => client?.end());

      it('uses its own schema', async () => {
        const { rows } = await client.query('select current_schema() as s, count(*)::int as n from probe');
        expect(rows[0]).toEqual({ s: db.schemaOf(service), n: 0 });
      });

      for (const other of SERVICES.filter((s) => s !== service)) {
        it(`is refused on ${other}'s schema`, async () => {
          const schema = db.schemaOf(other);
          await expect(client.query(`select * from "${schema}".probe`)).rejects.toThrow(`permission denied for schema ${schema}`);
          await expect(client.query(`create table "${schema}".intruder (id int)`)).rejects.toThrow(
            `permission denied for schema ${schema}`,
          );
        });
      }

      it('is refused on public', async () => {
        await expect(client.query('create table public.intruder (id int)')).rejects.toThrow('permission denied for schema public');
      });
    });
  }
});
