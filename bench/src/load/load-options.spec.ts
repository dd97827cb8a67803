import { DEFAULT_MIX, DEFAULT_OPTIONS, LIMITS, LoadOptions, LoadOptionsError, localTarget, orderShare, parseDuration, parseLoadOptions, parseMix } from './load-options';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseLoadOptions(argv, env) as LoadOptions;

describe('load options', () => {
  it('defaults to the local gateway at a gentle rate', () => {
    expect(parse([])).toEqual(DEFAULT_OPTIONS);
  });

  it('reads flags, with units on durations', () => {
    const o = parse(['--target', 'http://localhost:3100/api', '--rate', '250', '--duration', '2m', '--customers', '5', '--seed', '--drain', '0', '--json']);
    expect(o).toMatchObject({ target: 'http://localhost:3100', rate: 250, durationSeconds: 120, customers: 5, seed: true, drainSeconds: 0, json: true });
  });

  it('takes LOAD_* variables, and flags win over them', () => {
    const env = { LOAD_RATE: '10', LOAD_DURATION: '15s', LOAD_TARGET: 'http://[::1]:3000', LOAD_SEED: '1' };
    expect(parse([], env)).toMatchObject({ rate: 10, durationSeconds: 15, target: 'http://[::1]:3000', seed: true });
    expect(parse(['--rate', '20'], env).rate).toBe(20);
  });

  it('derives the rate from orders per second and the mix', () => {
    const o = parse(['--orders-per-second', '100', '--mix', 'list=1,search=0,product=0,reviews=0,order=1,follow=0,review=0']);
    expect(o.rate).toBe(200);
    expect(orderShare(o.mix)).toBe(0.5);
  });

  it('refuses a rate and an order rate together, and an order rate with no orders in the mix', () => {
    expect(() => parse(['--rate', '5', '--orders-per-second', '5'])).toThrow('not both');
    expect(() => parse(['--orders-per-second', '5', '--mix', 'order=0'])).toThrow('places no orders');
  });

  it.each([
    ['http://example.com', 'refusing example.com'],
    ['http://10.0.0.5:3000', 'refusing 10.0.0.5'],
    ['http://127.0.0.1.nip.io:3000', 'refusing 127.0.0.1.nip.io'],
    ['http://127.0.0.2:3000', 'refusing 127.0.0.2'],
    ['http://0.0.0.0:3000', 'refusing 0.0.0.0'],
    ['ftp://127.0.0.1', 'only http or https'],
    ['http://user:pw@127.0.0.1:3000', 'no credentials'],
    ['example.com:3000', 'refusing example.com'],
    ['not a url', 'not a URL'],
  ])('refuses the target %s', (target, message) => {
    expect(() => localTarget(target)).toThrow(message);
    expect(() => parse(['--target', target])).toThrow(LoadOptionsError);
  });

  it('accepts the loopback names, whatever the path', () => {
    expect(localTarget('http://127.0.0.1:3000/')).toBe('http://127.0.0.1:3000');
    expect(localTarget('https://localhost:8443/x')).toBe('https://localhost:8443');
    expect(localTarget('http://[::1]:3000')).toBe('http://[::1]:3000');
    expect(localTarget('127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
  });

  it('caps the duration, the rate, the request count and the drain', () => {
    expect(() => parse(['--duration', `${LIMITS.maxDurationSeconds + 1}`])).toThrow('at most 3600');
    expect(() => parse(['--duration', '2h'])).toThrow('at most 3600');
    expect(() => parse(['--duration', '0'])).toThrow('above 0');
    expect(() => parse(['--rate', String(LIMITS.maxRate + 1)])).toThrow('between');
    expect(() => parse(['--rate', '0'])).toThrow('between');
    expect(() => parse(['--max-requests', String(LIMITS.maxRequests + 1)])).toThrow('between');
    expect(() => parse(['--max-requests', '1.5'])).toThrow('whole number');
    expect(() => parse(['--drain', '11m'])).toThrow('at most 600');
    expect(() => parse(['--orders-per-second', '15000'])).toThrow('more than 20000');
  });

  it('refuses unknown flags, stray arguments and bad numbers with the flag named', () => {
    expect(() => parse(['--rps', '5'])).toThrow(LoadOptionsError);
    expect(() => parse(['fast'])).toThrow('unexpected argument: fast');
    expect(() => parse(['--rate', 'lots'])).toThrow('--rate: not a number: lots');
    expect(() => parse(['--decline-share', '2'])).toThrow('--decline-share: must be between 0 and 1');
  });

  it('answers help', () => {
    expect(parseLoadOptions(['--help'])).toBe('help');
  });
});

describe('mix', () => {
  it('replaces only the weights it names', () => {
    expect(parseMix('order=5,review=0')).toEqual({ ...DEFAULT_MIX, order: 5, review: 0 });
  });

  it.each([['shop=1'], ['order'], ['order=1=2'], ['order=-1'], ['order=x']])('refuses %s', (mix) => {
    expect(() => parseMix(mix)).toThrow(LoadOptionsError);
  });

  it('refuses a mix with nothing to do', () => {
    expect(() => parseMix('list=0,search=0,product=0,reviews=0,order=0,follow=0,review=0')).toThrow('every weight is 0');
  });
});

describe('durations', () => {
  it.each([
    ['30', 30],
    ['30s', 30],
    ['1.5m', 90],
    ['500ms', 0.5],
    ['1h', 3600],
  ])('%s is %d s', (text, seconds) => {
    expect(parseDuration(text, '--duration')).toBe(seconds);
  });

  it('refuses a duration without a number', () => {
    expect(() => parseDuration('soon', '--duration')).toThrow('--duration: not a duration: soon');
  });
});
