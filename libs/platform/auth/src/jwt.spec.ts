import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, KeyLike, SignJWT } from 'jose';
import { bearerToken, createTokenVerifier, serviceTokenSigner, signToken } from './jwt';

const secret = 'jwt-spec-secret-of-32-bytes-or-more-0123';
const verify = createTokenVerifier({ secret });
const key = new TextEncoder().encode(secret);
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('token verification with a shared secret', () => {
  it('accepts a signed token and reads sub and role', async () => {
    const token = await signToken(secret, { sub: 'c-1', role: 'admin' });
    await expect(verify(token)).resolves.toEqual({ sub: 'c-1', role: 'admin' });
  });

  it('refuses a token signed with another secret', async () => {
    const token = await signToken('a-different-secret-of-32-bytes-or-more-xyz', { sub: 'c-1', role: 'admin' });
    await expect(verify(token)).rejects.toMatchObject({ status: 401, message: 'the token is not valid' });
  });

  it('refuses an expired token', async () => {
    const token = await new SignJWT({ role: 'customer' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('c-1')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    await expect(verify(token)).rejects.toMatchObject({ status: 401, message: 'the token has expired' });
  });

  it('refuses a token without exp: it would never expire', async () => {
    const token = await new SignJWT({ role: 'customer' }).setProtectedHeader({ alg: 'HS256' }).setSubject('c-1').sign(key);
    await expect(verify(token)).rejects.toMatchObject({ status: 401, message: 'the token is not valid' });
  });

  it('refuses another HMAC algorithm than HS256, even with the right secret', async () => {
    const token = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS512' }).setSubject('c-1').setExpirationTime(inAnHour()).sign(key);
    await expect(verify(token)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses an unknown role and a missing subject', async () => {
    const badRole = await new SignJWT({ role: 'root' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime(inAnHour()).sign(key);
    await expect(verify(badRole)).rejects.toMatchObject({ status: 401, message: 'the token carries an unknown role' });
    const noSub = await new SignJWT({ role: 'customer' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(inAnHour()).sign(key);
    await expect(verify(noSub)).rejects.toMatchObject({ status: 401, message: 'the token has no subject' });
  });

  it('refuses an unsigned token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'c', role: 'admin', exp: inAnHour() })).toString('base64url');
    await expect(verify(`${header}.${body}.`)).rejects.toMatchObject({ status: 401 });
  });

  it('checks issuer and audience when they are configured', async () => {
    const strict = createTokenVerifier({ secret, issuer: 'https://id.shop.test', audience: 'shop-api' });
    const right = await signToken(secret, { sub: 'c-1', role: 'customer' }, { issuer: 'https://id.shop.test', audience: 'shop-api' });
    await expect(strict(right)).resolves.toEqual({ sub: 'c-1', role: 'customer' });
    for (const claims of [{}, { issuer: 'https://evil.test', audience: 'shop-api' }, { issuer: 'https://id.shop.test', audience: 'another-api' }]) {
      await expect(strict(await signToken(secret, { sub: 'c-1', role: 'customer' }, claims))).rejects.toMatchObject({ status: 401 });
    }
  });

  it('will not verify with a secret shorter than 32 bytes', () => {
    expect(() => createTokenVerifier({ secret: 'only-sixteen-chr' })).toThrow('auth: JWT_SECRET must be at least 32 bytes');
  });

  it('parses only well-formed bearer headers', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc')).toBeUndefined();
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('token verification with a JWKS', () => {
  let server: Server;
  let jwksUrl: string;
  let es256: KeyLike;
  let rs256: KeyLike;

  beforeAll(async () => {
    const ec = await generateKeyPair('ES256');
    const rsa = await generateKeyPair('RS256');
    es256 = ec.privateKey;
    rs256 = rsa.privateKey;
    const keys = [
      { ...(await exportJWK(ec.publicKey)), kid: 'ec', alg: 'ES256', use: 'sig' },
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa', alg: 'RS256', use: 'sig' },
    ];
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const sign = (alg: string, kid: string, privateKey: KeyLike | Uint8Array) =>
    new SignJWT({ role: 'customer' }).setProtectedHeader({ alg, kid }).setSubject('c-9').setExpirationTime(inAnHour()).sign(privateKey);

  it('accepts the algorithms on its allow-list and refuses the others', async () => {
    const onlyEs256 = createTokenVerifier({ jwksUrl, jwksAlgorithms: ['ES256'] });
    await expect(onlyEs256(await sign('ES256', 'ec', es256))).resolves.toEqual({ sub: 'c-9', role: 'customer' });
    await expect(onlyEs256(await sign('RS256', 'rsa', rs256))).rejects.toMatchObject({ status: 401 });
    await expect(createTokenVerifier({ jwksUrl })(await sign('RS256', 'rsa', rs256))).resolves.toEqual({ sub: 'c-9', role: 'customer' });
  });

  it('refuses an HMAC token signed with a public key as its secret (algorithm confusion)', async () => {
    const verifyJwks = createTokenVerifier({ jwksUrl });
    const publicKeyAsSecret = new TextEncoder().encode(JSON.stringify(await exportJWK(es256)));
    await expect(verifyJwks(await sign('HS256', 'ec', publicKeyAsSecret))).rejects.toMatchObject({ status: 401 });
  });

  it('cannot be told to accept none or an HMAC algorithm', () => {
    expect(() => createTokenVerifier({ jwksUrl, jwksAlgorithms: ['none'] })).toThrow('asymmetric signatures only');
    expect(() => createTokenVerifier({ jwksUrl, jwksAlgorithms: ['RS256', 'HS256'] })).toThrow('asymmetric signatures only');
  });
});

describe('service tokens', () => {
  it('signs a short-lived service token the other services accept, and reuses it while it is fresh', async () => {
    const sign = serviceTokenSigner('order', { secret });
    const token = await sign();
    await expect(verify(token)).resolves.toEqual({ sub: 'service:order', role: 'service' });
    expect(await sign()).toBe(token);
    const { exp, iat } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number; iat: number };
    expect(exp - iat).toBe(300);
  });

  it('carries issuer and audience when they are configured', async () => {
    const strict = createTokenVerifier({ secret, issuer: 'https://id.shop.test', audience: 'shop-api' });
    const token = await serviceTokenSigner('catalog', { secret, issuer: 'https://id.shop.test', audience: 'shop-api' })();
    await expect(strict(token)).resolves.toEqual({ sub: 'service:catalog', role: 'service' });
  });

  it('signs nothing without the shared secret (a JWKS cannot sign): it fails, it never sends a call unsigned', async () => {
    await expect(serviceTokenSigner('order', {})()).rejects.toThrow('order cannot sign a service token: set JWT_SECRET');
  });
});
