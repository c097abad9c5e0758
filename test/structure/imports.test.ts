import * as fs from 'fs';
import * as path from 'path';

/**
 * The layout rules of src/, checked on the import graph (type-only imports included, which eslint's import/no-cycle
 * does not follow):
 * - no import circle;
 * - src/private holds what every area shares and imports nothing outside itself;
 * - a feature's own private/ folder (src/<feature>/private) is imported from that feature only.
 */
const SRC = path.resolve(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'/g;

function resolveImport(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`${rel(from)} imports ${specifier}, which is not a file of src/`);
}

function rel(file: string): string {
  return path.relative(SRC, file).split(path.sep).join('/');
}

function importGraph(files: string[]): Map<string, string[]> {
  return new Map(files.map(file => {
    const text = fs.readFileSync(file, 'utf8');
    return [file, [...text.matchAll(IMPORT)].map(m => resolveImport(file, m[1]))];
  }));
}

/** Every strongly connected set of more than one file (or a file importing itself): Tarjan's algorithm. */
function circles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indexes = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    indexes.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexes.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indexes.get(w)!));
      }
    }
    if (low.get(v) === indexes.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.map(rel).sort());
    }
  };
  for (const v of graph.keys()) if (!indexes.has(v)) connect(v);
  return found;
}

const graph = importGraph(sourceFiles(SRC));

function edges(): Array<[string, string]> {
  return [...graph.entries()].flatMap(([from, tos]) => tos.map(to => [rel(from), rel(to)] as [string, string]));
}

test('the import graph of src/ has no circle, type-only imports included', () => {
  expect(circles(graph)).toEqual([]);
});

test('src/private imports nothing outside src/private', () => {
  const outward = edges().filter(([from, to]) => from.startsWith('private/') && !to.startsWith('private/'));
  expect(outward.map(([from, to]) => `${from} -> ${to}`)).toEqual([]);
});

test('a feature\'s private folder is imported from that feature only', () => {
  const foreign = edges().filter(([from, to]) => {
    const owner = /^([^/]+)\/private\//.exec(to)?.[1];
    return owner !== undefined && owner !== 'private' && !from.startsWith(`${owner}/`);
  });
  expect(foreign.map(([from, to]) => `${from} -> ${to}`)).toEqual([]);
});

test('the checks find a circle and a misplaced import when there is one', () => {
  // The rules above must be able to fail: a made-up graph with both defects.
  const a = path.join(SRC, 'x', 'a.ts');
  const b = path.join(SRC, 'x', 'b.ts');
  expect(circles(new Map([[a, [b]], [b, [a]]]))).toEqual([['x/a.ts', 'x/b.ts']]);
  expect(() => resolveImport(a, './does-not-exist')).toThrow(/not a file of src/);
});
