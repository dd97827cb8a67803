import { signToken } from '@shop/platform/auth';

/** The secret the services under test verify tokens with. */
export const TEST_JWT_SECRET = 'test-only-secret-0123456789abcdef';

export function tokenFor(sub: string, role: 'customer' | 'admin' | 'service' = 'customer'): Promise<string> {
  return signToken(TEST_JWT_SECRET, { sub, role });
}

export async function authHeaders(sub: string, role: 'customer' | 'admin' | 'service' = 'customer'): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await tokenFor(sub, role)}`, 'content-type': 'application/json' };
}
