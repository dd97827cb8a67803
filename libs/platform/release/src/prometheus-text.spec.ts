import { parsePrometheusText } from './prometheus-text';

describe('the Prometheus text format', () => {
  it('reads names, labels (escapes included) and values, skipping comments', () => {
    const text = [
      '# HELP x A counter',
      '# TYPE x counter',
      'x{app="payment",route="/a\\"b",version="1.0"} 42',
      'process_resident_memory_bytes 1.5e8',
      'http_bucket{le="+Inf"} 7 1700000000000',
      '',
    ].join('\n');
    expect(parsePrometheusText(text)).toEqual([
      { name: 'x', labels: { app: 'payment', route: '/a"b', version: '1.0' }, value: 42 },
      { name: 'process_resident_memory_bytes', labels: {}, value: 150_000_000 },
      { name: 'http_bucket', labels: { le: '+Inf' }, value: 7 },
    ]);
  });

  it('refuses what is not the format', () => {
    expect(() => parsePrometheusText('<html>')).toThrow('metrics: cannot read the line "<html>"');
  });
});
