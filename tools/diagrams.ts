/**
 * `npm run diagrams`: the pictures drawn from a source file kept beside them,
 * rendered with Graphviz compiled to WebAssembly (@viz-js/viz: no binary to
 * install). tools/diagrams.spec.ts fails when a committed picture differs
 * from a fresh rendering of its source.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { instance } from '@viz-js/viz';
import { root } from './lib/workspace';


/** Each picture and its source. */
const DIAGRAMS = [{ source: 'docs/architecture.dot', svg: 'docs/images/architecture.svg' }];

/** The SVG Graphviz draws from a DOT source. */
async function render(dot: string): Promise<string> {
  const viz = await instance();
  return viz.renderString(dot, { format: 'svg', engine: 'dot' });
}

async function main() {
  for (const d of DIAGRAMS) {
    const svg = await render(fs.readFileSync(path.join(root, d.source), 'utf8'));
    fs.mkdirSync(path.dirname(path.join(root, d.svg)), { recursive: true });
    fs.writeFileSync(path.join(root, d.svg), svg);
    process.stdout.write(`diagrams: ${d.svg} written from ${d.source}\n`);
  }
}

export { DIAGRAMS, render };

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`diagrams: ${err.message}\n`);
    process.exit(1);
  });
}
