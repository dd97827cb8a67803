import { parseArgs, releaseId } from './release.main';

describe('npm run release', () => {
  it('reads the service, the weight, the window and the settings the canary gets', () => {
    expect(parseArgs(['canary', 'payment'])).toEqual({ service: 'payment', weight: 25, windowSeconds: 120, env: {} });
    expect(parseArgs(['canary', 'payment', '--weight', '50', '--window', '60', '--env', 'PAYMENT_FAULTY_RELEASE_PERCENT=30'])).toEqual({
      service: 'payment',
      weight: 50,
      windowSeconds: 60,
      env: { PAYMENT_FAULTY_RELEASE_PERCENT: '30' },
    });
  });

  it('says how it is used when it is not', () => {
    expect(() => parseArgs([])).toThrow(/^usage: npm run release -- canary <service>/);
    expect(() => parseArgs(['canary', '--weight', '5'])).toThrow(/^usage/);
    expect(() => parseArgs(['canary', 'payment', '--weight', '0'])).toThrow(/^--weight 0: not understood/);
    expect(() => parseArgs(['canary', 'payment', '--window'])).toThrow(/^--window needs a value/);
    expect(() => parseArgs(['canary', 'payment', '--env', 'lower=1'])).toThrow(/^--env lower=1: not understood/);
  });

  it('names a release by its build, and by the settings it adds when it adds any', () => {
    expect(releaseId('b9c76aec4e00', {})).toBe('b9c76aec4e00');
    const faulty = releaseId('b9c76aec4e00', { PAYMENT_FAULTY_RELEASE_PERCENT: '30' });
    expect(faulty).toMatch(/^b9c76aec4e00-[0-9a-f]{6}$/);
    expect(releaseId('b9c76aec4e00', { PAYMENT_FAULTY_RELEASE_PERCENT: '40' })).not.toBe(faulty);
  });
});
