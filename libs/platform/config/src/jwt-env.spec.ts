import { z } from 'zod';
import { jwksAlgorithmsVar, jwtSecretVar, PUBLISHED_PLACEHOLDER_SECRETS } from './jwt-env';
import { loadConfig } from './load-config';

const schema = z.object({ JWT_SECRET: jwtSecretVar, JWT_JWKS_ALGORITHMS: jwksAlgorithmsVar });
const strong = 'kR9v2mQ7xL4pZ8wT1nB6yC3hJ5dF0gSa';

describe('token configuration', () => {
  it('takes a random secret of at least 32 bytes and RS256 and ES256 from a JWKS by default', () => {
    expect(loadConfig(schema, { JWT_SECRET: strong })).toEqual({ JWT_SECRET: strong, JWT_JWKS_ALGORITHMS: ['RS256', 'ES256'] });
  });

  it('refuses a secret shorter than 32 bytes, on one line that does not repeat it', () => {
    const short = strong.slice(0, 31);
    expect(() => loadConfig(schema, { JWT_SECRET: short })).toThrow(
      'invalid configuration: JWT_SECRET: must be at least 32 bytes (generate one: openssl rand -base64 48)',
    );
    expect(() => loadConfig(schema, { JWT_SECRET: short })).not.toThrow(short);
  });

  it.each(PUBLISHED_PLACEHOLDER_SECRETS)('refuses the published placeholder %s', (secret) => {
    expect(() => loadConfig(schema, { JWT_SECRET: secret })).toThrow(/^invalid configuration: JWT_SECRET: is a published placeholder/);
  });

  it('refuses a secret that reads as a placeholder, whatever its length', () => {
    for (const secret of ['REPLACE_ME_with_a_real_secret_of_64_random_chars', 'please-change-me-0123456789abcdefghij']) {
      expect(() => loadConfig(schema, { JWT_SECRET: secret })).toThrow('is a published placeholder');
    }
  });

  it('takes only asymmetric algorithms from a JWKS: never none nor HMAC', () => {
    expect(loadConfig(schema, { JWT_SECRET: strong, JWT_JWKS_ALGORITHMS: 'ES384, EdDSA' }).JWT_JWKS_ALGORITHMS).toEqual(['ES384', 'EdDSA']);
    for (const bad of ['none', 'HS256', 'RS256,none', ' , ']) {
      expect(() => loadConfig(schema, { JWT_SECRET: strong, JWT_JWKS_ALGORITHMS: bad })).toThrow(/JWT_JWKS_ALGORITHMS=".*": must be a comma-separated list/);
    }
  });
});
