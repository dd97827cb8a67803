import { SignJWT } from 'jose';
import { bearerToken, createTokenVerifier, signToken } from './jwt';

const secret = 'test-secret-with-enough-length-123456';
const verify = createTokenVerifier({ secret });

describe('token verification', () => {
  it('accepts a signed token and reads sub and role', async () => {
    const token = await signToken(secret, { sub: 'c-1', role: 'admin' });
    await expect(verify(token)).resolves.toEqual({ sub: 'c-1', role: 'admin' });
  });

  it('refuses a token signed with another secret', async () => {
    const token = await signToken('another-secret-of-enough-length-xyz', { sub: 'c-1', role: 'admin' });
    await expect(verify(token)).rejects.toMatchObject({ status: 401, message: 'the token is not valid' });
  });

  it('refuses an expired token', async () => {
    const token = await new SignJWT({ role: 'customer' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('c-1')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(secret));
    await expect(verify(token)).rejects.toMatchObject({ status: 401, message: 'the token has expired' });
  });

  it('refuses an unknown role and a missing subject', async () => {
    const key = new TextEncoder().encode(secret);
    const badRole = await new SignJWT({ role: 'root' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').sign(key);
    await expect(verify(badRole)).rejects.toMatchObject({ status: 401, message: 'the token carries an unknown role' });
    const noSub = await new SignJWT({ role: 'customer' }).setProtectedHeader({ alg: 'HS256' }).sign(key);
    await expect(verify(noSub)).rejects.toMatchObject({ status: 401, message: 'the token has no subject' });
  });

  it('refuses an unsigned token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'c', role: 'admin' })).toString('base64url');
    await expect(verify(`${header}.${body}.`)).rejects.toMatchObject({ status: 401 });
  });

  it('parses only well-formed bearer headers', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc')).toBeUndefined();
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
