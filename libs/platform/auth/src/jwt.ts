import { createRemoteJWKSet, jwtVerify, JWTVerifyGetKey, SignJWT } from 'jose';

/** `service`: another service of the platform calling with a token it signed itself (an import from an owner's export). */
export const ROLES = ['customer', 'admin', 'service'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as proven by a verified token. */
export interface Principal {
  sub: string;
  role: Role;
}

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export interface JwtOptions {
  /** HS256 shared secret (local stack, compose, tests), at least 32 bytes. */
  secret?: string;
  /** Or a JWKS endpoint of a real identity provider. */
  jwksUrl?: string;
  /** The algorithms accepted from the JWKS (default RS256 and ES256); a secret allows HS256 only. */
  jwksAlgorithms?: string[];
  /** Checked when set: a token from another issuer or for another audience is refused. */
  issuer?: string;
  audience?: string;
}

/** RFC 7518 section 3.2: an HS256 key at least as long as the hash output. */
const MIN_SECRET_BYTES = 32;

export type TokenVerifier = (token: string) => Promise<Principal>;

/**
 * Verifies the contract's bearer tokens, failing closed: the algorithm is
 * pinned (HS256 with a secret, an allow-list with a JWKS, never `none`), `exp`
 * must be present and in the future, issuer and audience must match when set,
 * and the claims that matter must be there.
 */
export function createTokenVerifier(options: JwtOptions): TokenVerifier {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (options.jwksUrl) {
    key = createRemoteJWKSet(new URL(options.jwksUrl));
    algorithms = options.jwksAlgorithms ?? ['RS256', 'ES256'];
    if (algorithms.some((a) => a === 'none' || a.startsWith('HS'))) throw new Error('auth: a JWKS verifies asymmetric signatures only');
  } else if (options.secret) {
    key = new TextEncoder().encode(options.secret);
    if (key.byteLength < MIN_SECRET_BYTES) throw new Error(`auth: JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes`);
    algorithms = ['HS256'];
  } else throw new Error('auth: set JWT_SECRET or JWT_JWKS_URL');
  const verifyOptions = { issuer: options.issuer, audience: options.audience, algorithms, requiredClaims: ['exp'] };
  return async (token) => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, key as Uint8Array, verifyOptions));
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new AuthError(401, code === 'ERR_JWT_EXPIRED' ? 'the token has expired' : 'the token is not valid');
    }
    const role = payload['role'] ?? 'customer';
    if (typeof payload.sub !== 'string' || !payload.sub || payload.sub.length > 200) {
      throw new AuthError(401, 'the token has no subject');
    }
    if (!ROLES.includes(role as Role)) throw new AuthError(401, 'the token carries an unknown role');
    return { sub: payload.sub, role: role as Role };
  };
}

/** Signs a token with the shared secret: the demo issuer and tests. */
export async function signToken(
  secret: string,
  claims: Principal,
  options: { expiresInSeconds?: number; issuer?: string; audience?: string } = {},
): Promise<string> {
  let jwt = new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(`${options.expiresInSeconds ?? 3600}s`);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** `Bearer <token>` → token; anything else → undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(value ?? '');
  return match?.[1];
}

/** Signs the tokens one service presents to another (role `service`, subject `service:<name>`). */
export type ServiceTokenSigner = () => Promise<string>;

/**
 * The tokens a service calls another with: role `service`, short-lived, signed
 * with the shared secret and kept until a minute before they expire. With
 * only a JWKS configured a service holds no key to sign with, so it gets no
 * token: asking for one fails with a clear message, nothing is sent unsigned.
 */
export function serviceTokenSigner(service: string, options: Pick<JwtOptions, 'secret' | 'issuer' | 'audience'>): ServiceTokenSigner {
  const lifetimeSeconds = 300;
  let cached: { token: string; renewAt: number } | undefined;
  return async () => {
    const secret = options.secret;
    if (!secret) throw new AuthError(401, `${service} cannot sign a service token: set JWT_SECRET (a JWKS verifies tokens, it cannot sign them)`);
    if (cached && Date.now() < cached.renewAt) return cached.token;
    const token = await signToken(secret, { sub: `service:${service}`, role: 'service' }, { expiresInSeconds: lifetimeSeconds, issuer: options.issuer, audience: options.audience });
    cached = { token, renewAt: Date.now() + (lifetimeSeconds - 60) * 1000 };
    return token;
  };
}
