import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = join(__dirname, '..');

/** Where the house's code lives; projects import each other through their `@shop/...` names, which Nx checks. */
const sourceRoots = [
  ...['apps', 'libs'].flatMap((top) => projectSources(join(root, top))),
  join(root, 'bench', 'src'),
  join(root, 'chaos', 'src'),
  join(root, 'tools'),
];

function projectSources(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.name === 'src') found.push(path);
    else found.push(...projectSources(path));
  }
  return found;
}

const isTest = (name: string) => /\.(spec|int-spec|e2e-spec)\.tsx?$/.test(name);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['generated', 'test', 'files', 'fixtures'].includes(entry.name) ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !isTest(entry.name) ? [path] : [];
  });
}

/** The relative modules a file names: `import … from`, `export … from`, `import(…)`, `require(…)`. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const names = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|^import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]);
  return names.map((name) => resolve(dirname(file), name));
}

interface Edge {
  from: string;
  to: string;
  /** One import that draws it: `file → module`. */
  example: string;
}

/** For each folder, the imports between its children (files and subfolders): each pair is counted where its two ends part. */
function edgesByFolder(src: string): Map<string, Map<string, Edge>> {
  const byFolder = new Map<string, Map<string, Edge>>();
  for (const file of sourceFiles(src)) {
    for (const target of relativeImports(file)) {
      const a = relative(src, file).split(sep);
      const b = relative(src, target).split(sep);
      if (b[0] === '..') continue; // outside this project's sources (a project's own package.json, say)
      let i = 0;
      while (i < a.length - 1 && i < b.length - 1 && a[i] === b[i]) i += 1;
      const folder = a.slice(0, i).join('/');
      const from = a[i];
      const to = b[i].replace(/\.tsx?$/, '');
      if (from.replace(/\.tsx?$/, '') === to) continue;
      const edges = byFolder.get(folder) ?? new Map<string, Edge>();
      const key = `${from}\0${to}`;
      if (!edges.has(key)) edges.set(key, { from: from.replace(/\.tsx?$/, ''), to, example: `${relative(root, file)} → ${relative(root, target)}` });
      byFolder.set(folder, edges);
    }
  }
  return byFolder;
}

/** The groups of children that reach each other (Tarjan's strongly connected components of two or more). */
function loops(edges: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member !== undefined) {
          onStack.delete(member);
          group.push(member);
        }
      } while (member !== undefined && member !== node);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return found;
}

/**
 * Inside every project, imports between the folders (and files) that share a parent run one way: a folder that
 * imports another is never imported back by it, directly or round a longer loop. A loop means neither side can be
 * read, tested or moved without the other; the message names one import of each arrow in it.
 */
describe('imports between folders', () => {
  it.each(sourceRoots.filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory()).map((dir) => [relative(root, dir), dir]))(
    '%s: no loop',
    (_name, src) => {
      const problems: string[] = [];
      for (const [folder, edges] of edgesByFolder(src)) {
        for (const group of loops([...edges.values()])) {
          const inLoop = [...edges.values()].filter((e) => group.includes(e.from) && group.includes(e.to));
          problems.push(`${folder || '.'}: ${group.join(', ')} import each other:\n  ${inLoop.map((e) => `${e.from} → ${e.to} (${e.example})`).join('\n  ')}`);
        }
      }
      expect(problems).toEqual([]);
    },
  );
});
