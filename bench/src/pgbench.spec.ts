import { parsePgbenchTps } from './pgbench';

describe('pgbench report', () => {
  it('reads the tps without the initial connection time', () => {
    const report = [
      'transaction type: <builtin: simple update>',
      'scaling factor: 1',
      'number of clients: 8',
      'number of transactions actually processed: 25012',
      'latency average = 3.198 ms',
      'initial connection time = 14.552 ms',
      'tps = 2501.234567 (without initial connection time)',
    ].join('\n');
    expect(parsePgbenchTps(report)).toBeCloseTo(2501.234567);
  });

  it('fails loudly when pgbench printed no tps', () => {
    expect(() => parsePgbenchTps('pgbench: error: connection to server failed')).toThrow('no tps');
  });
});
