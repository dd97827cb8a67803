import { createRemoteJWKSet, jwtVerify, JWTVerifyGetKey, SignJWT } from 'jose';

export const ROLES = ['customer', 'admin'] as const;
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
  /** HS256 shared secret (local stack, compose, tests). */
  secret?: string;
  /** Or a JWKS endpoint of a real identity provider. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

/** Verifies the contract's bearer tokens: signature, expiry, issuer and audience when set, and the claims that matter. */
export function createTokenVerifier(options: JwtOptions): TokenVerifier {
  let key: Uint8Array | JWTVerifyGetKey;
  if (options.jwksUrl) key = createRemoteJWKSet(new URL(options.jwksUrl));
  else if (options.secret) key = new TextEncoder().encode(options.secret);
  else throw new Error('auth: set JWT_SECRET or JWT_JWKS_URL');
  return async (token) => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, key as Uint8Array, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: options.jwksUrl ? undefined : ['HS256'],
      }));
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
