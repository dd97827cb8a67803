import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPlaceholderSecret, MIN_HMAC_KEY_BYTES } from '@shop/platform/config';
import { localJwtSecret } from './apps';

describe("the local stack's token secret", () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'apps-spec-'));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is made at random on the first start, kept under .local readable by its owner only, and reused afterwards', () => {
    const first = localJwtSecret(root, {});
    expect(Buffer.byteLength(first)).toBeGreaterThanOrEqual(MIN_HMAC_KEY_BYTES);
    expect(isPlaceholderSecret(first)).toBe(false);
    const file = join(root, '.local', 'jwt-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(localJwtSecret(root, {})).toBe(first);

    const elsewhere = mkdtempSync(join(tmpdir(), 'apps-spec-'));
    try {
      expect(localJwtSecret(elsewhere, {})).not.toBe(first);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('is JWT_SECRET from the environment when set, and then nothing is written', () => {
    expect(localJwtSecret(root, { JWT_SECRET: 'from-the-environment-0123456789abcdef' })).toBe('from-the-environment-0123456789abcdef');
    expect(() => statSync(join(root, '.local', 'jwt-secret'))).toThrow();
  });
});
