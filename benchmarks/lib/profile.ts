/**
 * Where a process's time went, from a V8 CPU profile (`node --cpu-prof`): the self time of the sampled functions, summed
 * by area of the code (this library's folders, aws-cdk-lib's synthesis and validation, cdk-nag); what Node.js runs for
 * them (file system, module loading, natives) and WebAssembly count for the caller, marked "(in Node.js)" or
 * "(in WebAssembly)".
 */
import * as path from 'path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: number[];
}

interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
  /** µs, on the clock of process.hrtime */
  readonly startTime: number;
}

/** The area a function's source belongs to; undefined for Node.js's own code, which is counted for its caller. */
function areaOf(node: ProfileNode, root: string): string | undefined {
  const { url, functionName } = node.callFrame;
  if (url === '') {
    return functionName === '(garbage collector)' ? 'garbage collection'
      : functionName === '(idle)' || functionName === '(program)' ? 'V8 (program, idle)' : undefined;
  }
  if (url.startsWith('node:') || url.startsWith('wasm://')) {
    return undefined;
  }
  const file = url.replace(/^file:\/\//, '');
  const src = path.join(root, 'src') + path.sep;
  const lib = path.join(root, 'lib') + path.sep;
  const own = file.startsWith(src) ? file.slice(src.length) : file.startsWith(lib) ? file.slice(lib.length) : undefined;
  if (own !== undefined) {
    return `cdk-xray-constructs ${own.split(path.sep)[0]}/`;
  }
  const bundled = /aws-cdk-lib\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (bundled !== null) {
    return `aws-cdk-lib's bundled ${bundled[1]}`;
  }
  const cdk = /aws-cdk-lib\/(.*)$/.exec(file);
  if (cdk !== null) {
    const rel = cdk[1];
    if (/^core\/lib\/(private\/)?(synthesis-validation|validation|policy-validation)/.test(rel) || /validate/i.test(path.basename(rel))) {
      return 'aws-cdk-lib validation';
    }
    if (/^core\/lib\/private\/synthesis/.test(rel)) {
      return 'aws-cdk-lib synthesis';
    }
    return rel.startsWith('core/') ? 'aws-cdk-lib core' : `aws-cdk-lib ${rel.split('/')[0]}`;
  }
  if (/\/node_modules\/cdk-nag\//.test(file)) return 'cdk-nag';
  if (/\/node_modules\/constructs\//.test(file)) return 'constructs';
  if (/\/node_modules\/(ts-node|typescript|@cspotcode|source-map-support)\//.test(file)) return 'ts-node (transpiling)';
  if (!file.includes('/node_modules/')) return file.startsWith(root) || file.includes('synth-overhead-app-') ? 'benchmark app' : 'other';
  return `other: ${file.split('/node_modules/').pop()?.split('/')[0]}`;
}

/**
 * A Markdown table of the self time by area, largest first, with the share of the total; only the samples taken from
 * `fromUs` on (the profiler's clock, which is process.hrtime's) count.
 */
export function summarizeProfile(profile: CpuProfile, root: string, fromUs = 0): string {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  // Node.js's own functions (fs, JSON, module loading, natives) and WebAssembly count for the nearest caller that is
  // neither.
  const areaFor = (id: number): string => {
    let wasm = false;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      const area = node === undefined ? undefined : areaOf(node, root);
      if (area !== undefined) return at === id ? area : `${area} (in ${wasm ? 'WebAssembly' : 'Node.js'})`;
      wasm ||= node?.callFrame.url.startsWith('wasm://') === true;
    }
    return 'Node.js';
  };
  const byArea = new Map<string, number>();
  let total = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < fromUs) return;
    const area = areaFor(id);
    byArea.set(area, (byArea.get(area) ?? 0) + delta);
    total += delta;
  });
  const rows = [...byArea.entries()].sort((a, b) => b[1] - a[1]);
  return ['| area | self time | share |', '|---|---:|---:|',
    ...rows.filter(([, us]) => us / total >= 0.002).map(([area, us]) => `| ${area} | ${(us / 1000).toFixed(0)} ms | ${(100 * us / total).toFixed(1)} % |`)].join('\n');
}
