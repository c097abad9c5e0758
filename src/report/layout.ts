/**
 * A layered (Sugiyama-style) layout for the service map: requests flow left to right.
 *
 * 1. Cycles are broken by reversing the edges a depth-first search finds going back.
 * 2. Each connected node goes to the layer of its longest path from a node without callers.
 * 3. Nodes within a layer are ordered by the mean position of their neighbours in the layer before, then after
 *    (a few sweeps each way), which keeps most edges from crossing.
 * 4. Nodes without any edge are laid out in a grid below the graph.
 */

export interface LayoutOptions {
  readonly nodeWidth?: number;
  readonly nodeHeight?: number;
  /** Horizontal space between layers. */
  readonly layerGap?: number;
  /** Vertical space between nodes of a layer. */
  readonly nodeGap?: number;
  readonly margin?: number;
}

export interface PlacedNode {
  readonly id: string;
  /** Top-left corner. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The layer (column) of a connected node; -1 for a node without edges. */
  readonly layer: number;
}

export interface RoutedEdge {
  readonly from: string;
  readonly to: string;
  /** An SVG path (`d` attribute). */
  readonly path: string;
  /** Where the edge's label goes. */
  readonly labelX: number;
  readonly labelY: number;
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly nodes: PlacedNode[];
  readonly edges: RoutedEdge[];
}

const SWEEPS = 4;

/** Places `nodeIds` and routes `edges` between them. Edges naming unknown nodes are left out. */
export function layeredLayout(nodeIds: string[], edges: Array<{ from: string; to: string }>, options: LayoutOptions = {}): Layout {
  const w = options.nodeWidth ?? 220;
  const h = options.nodeHeight ?? 64;
  const layerGap = options.layerGap ?? 120;
  const nodeGap = options.nodeGap ?? 28;
  const margin = options.margin ?? 24;

  const known = new Set(nodeIds);
  const valid = dedupe(edges.filter(e => known.has(e.from) && known.has(e.to)));
  const forward = breakCycles(nodeIds, valid.filter(e => e.from !== e.to));
  const connected = new Set(valid.flatMap(e => [e.from, e.to]));
  const layered = nodeIds.filter(id => connected.has(id));
  const loose = nodeIds.filter(id => !connected.has(id));

  // Longest path layering over the acyclic (forward) edges, in topological order.
  const layer = new Map<string, number>(layered.map(id => [id, 0]));
  for (const id of topologicalOrder(layered, forward)) {
    for (const e of forward.filter(x => x.from === id)) {
      layer.set(e.to, Math.max(layer.get(e.to)!, layer.get(id)! + 1));
    }
  }
  const layerCount = layered.length > 0 ? Math.max(...layered.map(id => layer.get(id)!)) + 1 : 0;
  const layers: string[][] = Array.from({ length: layerCount }, () => []);
  layered.forEach(id => layers[layer.get(id)!].push(id));

  // Barycentre ordering: down sweeps use callers, up sweeps use callees.
  const position = new Map<string, number>();
  const renumber = () => layers.forEach(l => l.forEach((id, i) => position.set(id, i)));
  renumber();
  const neighbours = (id: string, before: boolean) => valid
    .filter(e => (before ? e.to === id && layer.get(e.from)! < layer.get(id)! : e.from === id && layer.get(e.to)! > layer.get(id)!))
    .map(e => (before ? e.from : e.to));
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? layers.slice(1) : layers.slice(0, -1).reverse();
    for (const l of order) {
      const key = new Map(l.map(id => {
        const ns = neighbours(id, down);
        return [id, ns.length > 0 ? ns.reduce((s, n) => s + position.get(n)!, 0) / ns.length : position.get(id)!];
      }));
      l.sort((a, b) => key.get(a)! - key.get(b)! || position.get(a)! - position.get(b)!);
      renumber();
    }
  }

  const tallest = Math.max(0, ...layers.map(l => l.length));
  const graphHeight = tallest > 0 ? tallest * h + (tallest - 1) * nodeGap : 0;
  const placed = new Map<string, PlacedNode>();
  layers.forEach((l, li) => {
    const top = margin + (graphHeight - (l.length * h + (l.length - 1) * nodeGap)) / 2;
    l.forEach((id, i) => placed.set(id, { id, x: margin + li * (w + layerGap), y: top + i * (h + nodeGap), width: w, height: h, layer: li }));
  });

  // Loose nodes: a grid below, as wide as the graph (at least three columns).
  const columns = Math.max(3, layerCount);
  const looseTop = margin + graphHeight + (graphHeight > 0 && loose.length > 0 ? 2 * nodeGap : 0);
  loose.forEach((id, i) => placed.set(id, {
    id, x: margin + (i % columns) * (w + layerGap / 2), y: looseTop + Math.floor(i / columns) * (h + nodeGap), width: w, height: h, layer: -1,
  }));

  const routed = valid.map(e => route(placed.get(e.from)!, placed.get(e.to)!, nodeGap));
  const all = [...placed.values()];
  const width = all.length > 0 ? Math.max(...all.map(n => n.x + n.width)) + margin : 2 * margin;
  const bottom = Math.max(0, ...all.map(n => n.y + n.height), ...routed.map(r => r.bottom));
  return {
    width,
    height: (all.length > 0 ? bottom : 0) + margin,
    nodes: nodeIds.map(id => placed.get(id)!),
    edges: routed.map(r => ({ from: r.from, to: r.to, path: r.path, labelX: r.labelX, labelY: r.labelY })),
  };
}

function route(a: PlacedNode, b: PlacedNode, gap: number): RoutedEdge & { bottom: number } {
  if (a.id === b.id) {
    // A loop on the node's right side.
    const x = a.x + a.width;
    const y = a.y + a.height / 2;
    return {
      from: a.id,
      to: b.id,
      bottom: y + 20,
      path: `M ${x} ${y - 10} C ${x + 40} ${y - 30}, ${x + 40} ${y + 30}, ${x} ${y + 10}`,
      labelX: x + 34,
      labelY: y,
    };
  }
  if (b.layer > a.layer) {
    const x1 = a.x + a.width;
    const y1 = a.y + a.height / 2;
    const x2 = b.x;
    const y2 = b.y + b.height / 2;
    const dx = (x2 - x1) / 2;
    return {
      from: a.id,
      to: b.id,
      bottom: Math.max(y1, y2),
      path: `M ${x1} ${y1} C ${x1 + dx} ${y1}, ${x2 - dx} ${y2}, ${x2} ${y2}`,
      labelX: (x1 + x2) / 2,
      labelY: (y1 + y2) / 2,
    };
  }
  // Backward or same-layer edge: leave from the bottom, arc below, enter from the bottom.
  const x1 = a.x + a.width / 2;
  const y1 = a.y + a.height;
  const x2 = b.x + b.width / 2;
  const y2 = b.y + b.height;
  const dip = Math.max(y1, y2) + gap + 12;
  return {
    from: a.id,
    to: b.id,
    bottom: dip,
    path: `M ${x1} ${y1} C ${x1} ${dip}, ${x2} ${dip}, ${x2} ${y2}`,
    labelX: (x1 + x2) / 2,
    labelY: dip - 6,
  };
}

function dedupe(edges: Array<{ from: string; to: string }>): Array<{ from: string; to: string }> {
  const seen = new Set<string>();
  return edges.filter(e => {
    const key = `${e.from}\u0000${e.to}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Drops the edges a depth-first search (in node order) finds closing a cycle. */
function breakCycles(ids: string[], edges: Array<{ from: string; to: string }>): Array<{ from: string; to: string }> {
  const state = new Map<string, 'open' | 'done'>();
  const back = new Set<{ from: string; to: string }>();
  const visit = (id: string) => {
    state.set(id, 'open');
    for (const e of edges.filter(x => x.from === id)) {
      const s = state.get(e.to);
      if (s === 'open') {
        back.add(e);
      } else if (s === undefined) {
        visit(e.to);
      }
    }
    state.set(id, 'done');
  };
  ids.filter(id => !edges.some(e => e.to === id)).forEach(id => state.has(id) || visit(id));
  ids.forEach(id => state.has(id) || visit(id));
  return edges.filter(e => !back.has(e));
}

function topologicalOrder(ids: string[], edges: Array<{ from: string; to: string }>): string[] {
  const indegree = new Map(ids.map(id => [id, 0]));
  edges.forEach(e => indegree.set(e.to, indegree.get(e.to)! + 1));
  const queue = ids.filter(id => indegree.get(id) === 0);
  const order: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    order.push(id);
    for (const e of edges.filter(x => x.from === id)) {
      indegree.set(e.to, indegree.get(e.to)! - 1);
      if (indegree.get(e.to) === 0) {
        queue.push(e.to);
      }
    }
  }
  return order;
}
