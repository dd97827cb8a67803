import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGRAMS, render } from './diagrams';

const root = join(__dirname, '..');

describe('diagrams', () => {
  it.each(DIAGRAMS)('$svg is up to date with $source (npm run diagrams)', async ({ source, svg }) => {
    const fresh = await render(readFileSync(join(root, source), 'utf8'));
    expect(readFileSync(join(root, svg), 'utf8')).toBe(fresh);
  });

  it('a changed source makes a different picture (the check bites)', async () => {
    const dot = readFileSync(join(root, DIAGRAMS[0].source), 'utf8');
    expect(await render(dot.replace('Zipkin :9411', 'Jaeger :16686'))).not.toBe(await render(dot));
  });
});
