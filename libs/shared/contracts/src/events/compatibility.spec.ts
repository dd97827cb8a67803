import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { contractProblems, jsonSchemaOf, RecordedContract, VersionedSchema } from './compatibility';
import { productUpsertedV1 } from './catalog.events';
import { allEventVersions } from './registry';

/**
 * The event contract test: every (type, version) the platform defines against what was recorded of it. A
 * change a consumer of that version would not survive fails here. After an additive change, record the new
 * schema with `UPDATE_EVENT_CONTRACTS=1 npx jest --selectProjects unit --testPathPattern events/compatibility`
 * (it refuses to record a breaking one).
 */
const dir = join(__dirname, 'recorded');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const recorded = (): RecordedContract[] => files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RecordedContract);
const current = (): VersionedSchema[] => allEventVersions();

describe('event contracts', () => {
  it('every schema still serves the consumers of its version: recorded payloads accepted, no field removed, made optional or retyped', () => {
    expect(contractProblems(current(), recorded())).toEqual([]);
  });

  it('has the current schema of every (type, version) recorded', () => {
    const update = process.env['UPDATE_EVENT_CONTRACTS'] === '1';
    for (const file of files) {
      const contract = JSON.parse(readFileSync(join(dir, file), 'utf8')) as RecordedContract;
      const now = current().find((c) => c.type === contract.type && c.version === contract.version);
      if (!now) throw new Error(`${file}: ${contract.type} v${contract.version} is not defined`);
      const schema = jsonSchemaOf(now.data);
      if (update && contractProblems([now], [contract]).length === 0) {
        writeFileSync(join(dir, file), `${JSON.stringify({ ...contract, schema }, null, 2)}\n`);
        continue;
      }
      expect({ file, schema: contract.schema }).toEqual({ file, schema });
    }
  });

  describe('reports a breaking change to a copy of a schema', () => {
    const v1 = (data: z.ZodType): VersionedSchema[] => [{ type: 'catalog.product-upserted', version: 1, data }];
    const contract = () => recorded().filter((r) => r.type === 'catalog.product-upserted' && r.version === 1);

    it('accepts the schema as it is, and an added optional field', () => {
      expect(contractProblems(v1(productUpsertedV1), contract())).toEqual([]);
      expect(contractProblems(v1(productUpsertedV1.extend({ weightGrams: z.number().int().optional() })), contract())).toEqual([]);
    });

    it('a removed field', () => {
      const problems = contractProblems(v1(productUpsertedV1.omit({ description: true })), contract());
      expect(problems).toContain('catalog.product-upserted v1: field description removed');
    });

    it('a field made optional', () => {
      expect(contractProblems(v1(productUpsertedV1.partial({ priceCents: true })), contract())).toContain(
        'catalog.product-upserted v1: field priceCents no longer required (consumers read it)',
      );
    });

    it('a retyped field, which also rejects the recorded payloads', () => {
      const problems = contractProblems(v1(productUpsertedV1.extend({ priceCents: z.string() })), contract());
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^catalog.product-upserted v1.priceCents: type changed from "integer" to "string"$/),
          expect.stringMatching(/^catalog.product-upserted v1: rejects recorded example 0 \(priceCents: /),
        ]),
      );
    });

    it('a new required field and a tightened bound', () => {
      const problems = contractProblems(v1(productUpsertedV1.extend({ category: z.string(), name: z.string().min(3) })), contract());
      expect(problems).toEqual(
        expect.arrayContaining([
          'catalog.product-upserted v1: new required field category (payloads of this version lack it)',
          'catalog.product-upserted v1.name: minLength tightened from none to 3',
        ]),
      );
    });

    it('a version removed while recorded, and one defined without recordings', () => {
      expect(contractProblems([], contract())).toEqual([
        'catalog.product-upserted v1: no longer defined, but consumers of it may still run (end its window first, docs/messaging.md)',
      ]);
      expect(contractProblems([{ type: 'catalog.product-upserted', version: 3, data: productUpsertedV1 }], [])).toEqual([
        'catalog.product-upserted v3: no recorded examples (add recorded/catalog.product-upserted.v3.json)',
      ]);
    });
  });
});
