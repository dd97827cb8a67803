import { newSession, parseSession } from './session.model';

describe('session', () => {
  const now = 1_700_000_000_000;

  it('expires a minute before the token does', () => {
    expect(newSession('ada', 't', 3600, now)).toEqual({ customerId: 'ada', accessToken: 't', expiresAt: now + 3_540_000 });
  });

  it('reads back a valid stored session', () => {
    const session = newSession('ada', 't', 3600, now);
    expect(parseSession(JSON.stringify(session), now + 1000)).toEqual(session);
  });

  it('drops an expired, malformed or foreign value', () => {
    expect(parseSession(JSON.stringify(newSession('ada', 't', 3600, now)), now + 3_600_000)).toBeNull();
    expect(parseSession('{"customerId":1}', now)).toBeNull();
    expect(parseSession('not json', now)).toBeNull();
    expect(parseSession(null, now)).toBeNull();
  });
});
