import { decodeChangeCursor, encodeChangeCursor, exportQuerySchema, rebuildReadModelBodySchema } from './export.schemas';

describe('export cursors', () => {
  it('round-trips a change sequence number, up to the largest bigint Postgres holds', () => {
    for (const seq of [0n, 1n, 42n, 2n ** 53n + 1n, 2n ** 63n - 1n]) expect(decodeChangeCursor(encodeChangeCursor(seq))).toBe(seq);
    expect(decodeChangeCursor(encodeChangeCursor('17'))).toBe(17n);
  });

  it('refuses what this export never handed out', () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    for (const cursor of [
      '',
      'not a cursor',
      b64('17'), // no version prefix
      b64('c1:'),
      b64('c1:-1'),
      b64('c1:017'), // a leading zero: one number, one spelling
      b64('c1:1.5'),
      b64('c1:9223372036854775808'), // past bigint
      b64('c2:17'),
      b64(`${new Date().toISOString()}|0b8f5c2e-2a55-4c1b-9d7e-3f1f2f0a9b11`), // a list cursor, not an export one
      'x'.repeat(65),
    ]) {
      expect(decodeChangeCursor(cursor)).toBeNull();
    }
  });
});

describe('export query', () => {
  it('takes a full export, a since, a limit and a cursor', () => {
    expect(exportQuerySchema.parse({})).toEqual({ limit: 500 });
    const cursor = encodeChangeCursor(9n);
    expect(exportQuerySchema.parse({ updatedSince: '2026-11-30T08:00:00Z', limit: '10', cursor })).toEqual({ updatedSince: '2026-11-30T08:00:00Z', limit: 10, cursor });
  });

  it('names each bad field', () => {
    const paths = (input: object) => (exportQuerySchema.safeParse(input).error?.issues ?? []).map((i) => i.path.join('.'));
    expect(paths({ updatedSince: 'yesterday' })).toEqual(['updatedSince']);
    expect(paths({ limit: '0' })).toEqual(['limit']);
    expect(paths({ limit: '1001' })).toEqual(['limit']);
    expect(paths({ limit: 'ten' })).toEqual(['limit']);
    expect(paths({ cursor: 'bogus' })).toEqual(['cursor']);
    expect(paths({ since: '2026-11-30T08:00:00Z' })).toEqual(['']); // unknown field: a typo is not a full export
  });
});

describe('rebuild request', () => {
  it('reads the topic unless told to import from the API', () => {
    expect(rebuildReadModelBodySchema.parse({})).toEqual({ source: 'topic' });
    expect(rebuildReadModelBodySchema.parse({ source: 'api', since: '2026-11-30T08:00:00+09:00' })).toEqual({ source: 'api', since: '2026-11-30T08:00:00+09:00' });
  });

  it('refuses a since or a cursor for the topic, a bad since, a bad cursor, an unknown source', () => {
    for (const body of [
      { source: 'topic', since: '2026-11-30T08:00:00Z' },
      { since: '2026-11-30T08:00:00Z' },
      { source: 'api', since: 'last tuesday' },
      { source: 'api', cursor: 'bogus' },
      { source: 'disk' },
      { source: 'api', limit: 5 },
    ]) {
      expect(rebuildReadModelBodySchema.safeParse(body).success).toBe(false);
    }
  });
});
