import { randomUUID } from 'node:crypto';
import { decodeCursor, encodeCursor, instant } from './common.schemas';

describe('list cursors', () => {
  const id = randomUUID();

  it('decode what encodeCursor made, and nothing else', () => {
    const at = new Date('2026-12-04T10:11:12.345Z');
    expect(decodeCursor(encodeCursor(at, id))).toEqual({ createdAt: at, id });
    const spelt = (text: string) => Buffer.from(text).toString('base64url');
    for (const bad of [
      spelt(`0000-01-01T00:00:00.000Z|${id}`),
      spelt(`+275760-09-13T00:00:00.000Z|${id}`),
      spelt(`2026-02-30T00:00:00.000Z|${id}`),
      spelt(`2026-12-04T10:11:12Z|${id}`),
      spelt(`2026-12-04T10:11:12.345Z|${id}|more`),
      spelt(`2026-12-04T10:11:12.345Z|${id.toUpperCase()}`),
      spelt(`1969-12-31T23:59:59.999Z|${id}`),
      `${encodeCursor(at, id)}==`,
      'not a cursor',
      '',
    ]) {
      expect(decodeCursor(bad)).toBeNull();
    }
  });
});

describe('instant', () => {
  it('takes ISO times with an offset between 1970 and 9999 only', () => {
    expect(instant.safeParse('2026-12-04T10:00:00Z').success).toBe(true);
    expect(instant.safeParse('2026-12-04T10:00:00+09:00').success).toBe(true);
    for (const bad of ['0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '2026-12-04', 'yesterday']) expect(instant.safeParse(bad).success).toBe(false);
  });
});
