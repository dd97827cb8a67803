import { parseChaosArgs } from './chaos-options';

const known = ['catalog', 'order', 'broker'];

describe('npm run chaos arguments', () => {
  it('defaults to every scenario, 1,000 orders at 50/s', () => {
    expect(parseChaosArgs([], known)).toEqual({ scenarios: [], orders: 1000, rate: 50, downMs: 3000, settleTimeoutMs: 300_000, seed: 1, keep: false, list: false });
  });

  it('takes --scenario more than once, and the numbers', () => {
    const options = parseChaosArgs(['--scenario', 'order', '--scenario', 'broker', '--scenario', 'order', '--orders', '200', '--rate', '75.5', '--down-ms', '1000', '--settle-timeout', '60', '--seed', '9', '--keep'], known);
    expect(options).toEqual({ scenarios: ['order', 'broker'], orders: 200, rate: 75.5, downMs: 1000, settleTimeoutMs: 60_000, seed: 9, keep: true, list: false });
  });

  it('refuses unknown scenarios and arguments, and bad numbers, with one line', () => {
    expect(() => parseChaosArgs(['--scenario', 'gatway'], known)).toThrow('--scenario must be one of catalog, order, broker, got gatway');
    expect(() => parseChaosArgs(['--scenario'], known)).toThrow('got nothing');
    expect(() => parseChaosArgs(['--orders', '0'], known)).toThrow('--orders needs a positive integer, got 0');
    expect(() => parseChaosArgs(['--orders', '1.5'], known)).toThrow('--orders needs a positive integer');
    expect(() => parseChaosArgs(['--rate', '--orders'], known)).toThrow('--rate needs a positive number, got --orders');
    expect(() => parseChaosArgs(['--rate', 'fast'], known)).toThrow('--rate needs a positive number, got fast');
    expect(() => parseChaosArgs(['--fast'], known)).toThrow('unknown argument --fast');
  });
});
