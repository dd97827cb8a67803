/** Who is signed in: a demo token from the gateway's issuer, kept for the next visit. */
export interface Session {
  customerId: string;
  accessToken: string;
  /** Epoch ms; a minute early, so a call never starts with a token about to lapse. */
  expiresAt: number;
}

/** A stored session that is well-formed and still valid, or null. */
export function parseSession(raw: string | null, now: number): Session | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Session>;
    if (typeof value.customerId !== 'string' || typeof value.accessToken !== 'string' || typeof value.expiresAt !== 'number') return null;
    return value.expiresAt > now ? (value as Session) : null;
  } catch {
    return null;
  }
}

export function newSession(customerId: string, accessToken: string, expiresInSeconds: number, now: number): Session {
  return { customerId, accessToken, expiresAt: now + Math.max(0, expiresInSeconds - 60) * 1000 };
}
