import type { EdgeReport, NodeReport } from './report-types';

/** Mermaid class names of the trace states. */
const STATE_CLASSES: Record<string, string> = {
  'traced': 'traced',
  'pass-through': 'passThrough',
  'untraced': 'untraced',
  'unsupported': 'unsupported',
  'downstream': 'downstream',
};

const CLASS_DEFS = [
  'classDef traced fill:#dcf5e3,stroke:#1e7b34,color:#102a17',
  'classDef passThrough fill:#e3eefc,stroke:#2b5fab,color:#10223d',
  'classDef untraced fill:#fde2e1,stroke:#b3261e,color:#3d0f0c',
  'classDef unsupported fill:#fff0d6,stroke:#a85c00,color:#3a2200',
  'classDef downstream fill:#eeeeee,stroke:#616161,color:#212121',
  'classDef external stroke-dasharray:5 3',
];

/**
 * The service map as a Mermaid flowchart (left to right): one node per resource, labelled with its label and type,
 * classed by trace state; one arrow per edge, labelled with the edge kind. Nodes of other stacks are drawn dashed and
 * named with their stack.
 */
export function renderMermaid(nodes: NodeReport[], neighbours: NodeReport[], edges: EdgeReport[]): string {
  const ids = new Map<string, string>();
  const lines = ['flowchart LR'];
  const declare = (n: NodeReport, external: boolean) => {
    const id = `n${ids.size}`;
    ids.set(n.id, id);
    const title = external ? `${n.stackId}/${n.label}` : n.label;
    lines.push(`  ${id}["${escape(title)}<br/><small>${escape(n.typeName)} · ${escape(n.state)}</small>"]`);
    lines.push(`  class ${id} ${STATE_CLASSES[n.state] ?? 'untraced'}${external ? ',external' : ''}`);
  };
  nodes.forEach(n => declare(n, false));
  neighbours.forEach(n => declare(n, true));
  for (const e of edges) {
    const from = ids.get(e.from);
    const to = ids.get(e.to);
    if (from !== undefined && to !== undefined) {
      lines.push(`  ${from} -->|${escape(e.kind)}| ${to}`);
    }
  }
  lines.push(...CLASS_DEFS.map(d => `  ${d}`));
  return lines.join('\n');
}

/** Mermaid entity codes for the characters that end a label or start markup. */
function escape(text: string): string {
  return text.replace(/[#"<>|[\](){}]/g, c => `#${c.charCodeAt(0)};`);
}
