import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EdgeKind, TraceGraph, TraceNode, TraceNodeDetails, TraceState } from '../../src/graph/model';

/** A fresh temporary directory. */
export function tempDir(prefix = 'cdk-xray-report-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Writes a cloud assembly the way any CDK app writes one, reduced to what the report reads: manifest.json with one
 * stack artifact per template, no metadata files and no path metadata in the templates (as apps synthesized with path
 * metadata turned off, e.g. some Python and Java pipelines, produce).
 */
export function writeAssembly(templates: Record<string, any>, dir = tempDir()): string {
  const artifacts: Record<string, any> = {};
  for (const [id, template] of Object.entries(templates)) {
    fs.writeFileSync(path.join(dir, `${id}.template.json`), JSON.stringify(template));
    artifacts[id] = {
      type: 'aws:cloudformation:stack',
      environment: 'aws://unknown-account/unknown-region',
      properties: { templateFile: `${id}.template.json` },
    };
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '54.0.0', artifacts }));
  return dir;
}

/** A node for a hand-made graph. */
export function node(stackId: string, logicalId: string, type: string, state: TraceState, how: string, nodePath?: string,
  details?: TraceNodeDetails): TraceNode {
  return {
    id: `${stackId}/${logicalId}`,
    stackId,
    logicalId,
    type,
    label: nodePath ? nodePath.split('/').filter(s => s !== 'Resource').pop()! : logicalId,
    ...(nodePath !== undefined ? { path: nodePath } : {}),
    state,
    how,
    ...(details !== undefined ? { details } : {}),
  };
}

/** An edge for a hand-made graph. */
export function edge(from: TraceNode, to: TraceNode, kind: EdgeKind) {
  return { from: from.id, to: to.id, kind };
}

export function graphOf(nodes: TraceNode[], edges: TraceGraph['edges'] = [], findings: TraceGraph['findings'] = []): TraceGraph {
  return { nodes, edges, findings };
}
