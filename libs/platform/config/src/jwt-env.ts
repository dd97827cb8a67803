import { z } from 'zod';

/**
 * Token-signing secrets that were ever published with this project (manifests, examples, the local stack's old
 * default, test fixtures): a deployment that signs with one lets anyone mint admin tokens.
 */
export const PUBLISHED_PLACEHOLDER_SECRETS: readonly string[] = [
  'REPLACE_ME_at_least_16_characters',
  'replace-me-with-a-long-random-string',
  'local-dev-secret-change-me-0123456789',
  'kind-dev-only-jwt-secret-not-for-production',
  'test-secret-with-enough-length-123456',
  'another-secret-of-enough-length-xyz',
];

/** Words a placeholder is made of; a real secret is random and never says "replace me". */
const PLACEHOLDER_WORDS = /replace[-_ ]?me|change[-_ ]?me|placeholder/i;

/** RFC 7518 section 3.2: an HS256 key at least as long as the hash output. */
export const MIN_HMAC_KEY_BYTES = 32;

export function isPlaceholderSecret(secret: string): boolean {
  return PUBLISHED_PLACEHOLDER_SECRETS.includes(secret) || PLACEHOLDER_WORDS.test(secret);
}

/** JWT_SECRET: long enough for HS256 and not one anybody else knows. */
export const jwtSecretVar = z
  .string()
  .refine((v) => Buffer.byteLength(v, 'utf8') >= MIN_HMAC_KEY_BYTES, `must be at least ${MIN_HMAC_KEY_BYTES} bytes (generate one: openssl rand -base64 48)`)
  .refine((v) => !isPlaceholderSecret(v), 'is a published placeholder that anyone can sign tokens with; generate one: openssl rand -base64 48');

/** Asymmetric algorithms a JWKS may sign with; `none` and the HMAC family can never be listed. */
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

export const jwksAlgorithmsVar = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .refine((list) => list.length > 0 && list.every((a) => (JWKS_ALGORITHMS as readonly string[]).includes(a)), `must be a comma-separated list of ${JWKS_ALGORITHMS.join(', ')}`)
  .default(['RS256', 'ES256']);

/** A claim value to insist on (JWT_ISSUER, JWT_AUDIENCE): checked when set. */
export const jwtClaimVar = z.string().min(1);

/** Refinement for schemas built with jwtConfigShape: one way to verify tokens must be set. */
export const needsTokenKey = (env: { JWT_SECRET?: string; JWT_JWKS_URL?: string }) => Boolean(env.JWT_SECRET || env.JWT_JWKS_URL);
