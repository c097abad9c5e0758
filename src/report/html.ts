import { layeredLayout } from './layout';
import { usesText } from './migration';
import type { AppReport, MigrationReport, NodeReport, StackReport } from './report-types';
import { transactionSearchNotes } from './text';
import { formatCount, formatPercent, formatUsd } from '../private/format';

/**
 * The report as one self-contained HTML file: no scripts, fonts or stylesheets from elsewhere. Per stack an inline SVG
 * service map (nodes colored by trace state, edges labelled by kind), the coverage table, the findings, the sampling
 * rules and groups; then the cost estimate.
 *
 * The SVG carries data attributes for tools and tests: `g.node[data-id][data-state][data-type]` and
 * `g.edge[data-from][data-to][data-kind]`, ids as in the JSON report.
 */
export function renderHtml(report: AppReport): string {
  const t = report.totals;
  const body = [
    '<header>',
    '<h1>X-Ray trace report</h1>',
    `<p class="assembly">Cloud assembly <code>${esc(report.assembly)}</code></p>`,
    `<p class="totals" data-findings="${t.findings}">${t.stacks} stack(s), ${t.total} node(s): ${t.traced} traced, ${t.passThrough} pass-through, ` +
      `${t.untraced} untraced, ${t.unsupported} unsupported, ${t.downstream} downstream; ${t.edges} edge(s); ` +
      `<strong>${t.findings} finding(s)</strong>${t.acknowledgedFindings > 0 ? `, ${t.acknowledgedFindings} acknowledged` : ''}.</p>`,
    LEGEND,
    '</header>',
    ...report.stacks.map((s, i) => stackSection(s, i)),
    report.migration !== undefined ? migrationSection(report.migration) : '',
    report.cost ? costSection(report) : '',
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cdk-xray report">
<title>X-Ray trace report: ${esc(report.stacks.map(s => s.displayName).join(', ') || report.assembly)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

const STATE_STYLE: Record<string, { fill: string; stroke: string; text: string }> = {
  'traced': { fill: '#dcf5e3', stroke: '#1e7b34', text: '#102a17' },
  'pass-through': { fill: '#e3eefc', stroke: '#2b5fab', text: '#10223d' },
  'untraced': { fill: '#fde2e1', stroke: '#b3261e', text: '#3d0f0c' },
  'unsupported': { fill: '#fff0d6', stroke: '#a85c00', text: '#3a2200' },
  'downstream': { fill: '#eeeeee', stroke: '#616161', text: '#212121' },
};

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 24px; color: #1c1c1c; background: #fff; }
h1 { font-size: 22px; margin: 0 0 8px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
table { border-collapse: collapse; font-size: 13px; margin: 4px 0 12px; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f5f5f5; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.legend { display: flex; gap: 16px; font-size: 13px; margin: 8px 0; }
.legend span::before { content: ""; display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; border: 2px solid; border-radius: 3px; }
${Object.entries(STATE_STYLE).map(([s, c]) => `.legend .${s}::before { background: ${c.fill}; border-color: ${c.stroke}; }
td.state-${s} { background: ${c.fill}; color: ${c.text}; font-weight: 600; }`).join('\n')}
.map { overflow-x: auto; border: 1px solid #e3e3e3; border-radius: 6px; background: #fcfcfc; }
svg.service-map { display: block; font-size: 12px; }
svg .node rect { stroke-width: 2; }
svg .node.external rect { stroke-dasharray: 6 4; }
svg .node-label { font-weight: 600; font-size: 13px; }
svg .node-type, svg .node-how { font-size: 11px; }
svg .edge path { fill: none; stroke: #555; stroke-width: 1.5; }
svg .edge-label { font-size: 11px; fill: #333; }
svg .edge-label-bg { fill: #fcfcfc; }
ul.findings li { margin: 4px 0; } ul.findings .rule { font-weight: 600; }
ul.findings li.acknowledged { color: #666; }
.empty { color: #666; font-style: italic; }
`;

const LEGEND = `<div class="legend">${Object.keys(STATE_STYLE).map(s => `<span class="${s}">${s}</span>`).join('')}</div>`;

function stackSection(stack: StackReport, index: number): string {
  const c = stack.coverage;
  return [
    `<section class="stack" data-stack-id="${esc(stack.stackId)}">`,
    `<h2>Stack ${esc(stack.displayName)}</h2>`,
    `<p>Stack name <code>${esc(stack.stackName)}</code>${stack.environment ? `, environment <code>${esc(stack.environment)}</code>` : ''}, ` +
      `template <code>${esc(stack.templateFile)}</code>. ${c.total} node(s): ${c.traced} traced, ${c.passThrough} pass-through, ` +
      `${c.untraced} untraced, ${c.unsupported} unsupported, ${c.downstream} downstream.</p>`,
    '<h3>Expected service map</h3>',
    `<div class="map">${serviceMapSvg(stack, index)}</div>`,
    '<h3>Coverage</h3>',
    coverageTable(stack),
    '<h3>Findings</h3>',
    findingsList(stack),
    '<h3>Sampling rules</h3>',
    stack.samplingRules.length === 0 ? '<p class="empty">No sampling rules in this stack.</p>' : table(
      ['Priority', 'Rule', 'Reservoir/s', 'Fixed rate', 'Matches'],
      stack.samplingRules.map(r => [num(r.priority), esc(r.ruleName), num(r.reservoirSize),
        r.fixedRate === undefined ? '?' : esc(formatPercent(r.fixedRate)), `<code>${esc(r.matches)}</code>`]),
      'sampling-rules', [0, 2, 3]),
    '<h3>Groups</h3>',
    stack.groups.length === 0 ? '<p class="empty">No groups in this stack.</p>' : table(
      ['Group', 'Filter expression', 'Insights', 'Notifications'],
      stack.groups.map(g => [esc(g.groupName), `<code>${esc(g.filterExpression)}</code>`, g.insights ? 'on' : 'off', g.notifications ? 'on' : 'off']),
      'groups'),
    '<h3>IAM policies allowing xray:PutTraceSegments</h3>',
    stack.xrayWritePolicies.length === 0 ? '<p class="empty">None.</p>' : table(
      ['Logical id', 'Type', 'Principals'],
      stack.xrayWritePolicies.map(p => [esc(p.logicalId), esc(p.type), String(p.principals)]),
      'write-policies', [2]),
    '<h3>Not modelled</h3>',
    (stack.notModelled ?? []).length === 0 ? '<p class="empty">None: the trace graph reads every resource type of this stack.</p>' : table(
      ['Resource type the trace graph does not read', 'Resources'],
      stack.notModelled.map(t => [esc(t.type), String(t.count)]),
      'not-modelled', [1]),
    '</section>',
  ].join('\n');
}

function serviceMapSvg(stack: StackReport, index: number): string {
  const all: Array<NodeReport & { external: boolean }> = [
    ...stack.nodes.map(n => ({ ...n, external: false })),
    ...stack.neighbours.map(n => ({ ...n, external: true })),
  ];
  if (all.length === 0) {
    return '<p class="empty">No resources on a request path in this stack.</p>';
  }
  const layout = layeredLayout(all.map(n => n.id), stack.edges);
  const byId = new Map(all.map(n => [n.id, n]));
  const marker = `arrow-${index}`;
  const kinds = new Map(stack.edges.map(e => [`${e.from}\u0000${e.to}`, [] as string[]]));
  stack.edges.forEach(e => kinds.get(`${e.from}\u0000${e.to}`)!.push(e.kind));

  const nodes = layout.nodes.map(p => {
    const n = byId.get(p.id)!;
    const c = STATE_STYLE[n.state] ?? STATE_STYLE.untraced;
    const label = n.external ? `${n.stackId}/${n.label}` : n.label;
    return `<g class="node${n.external ? ' external' : ''}" data-id="${esc(n.id)}" data-state="${esc(n.state)}" data-type="${esc(n.type)}" ` +
      `transform="translate(${p.x},${p.y})">` +
      `<title>${esc([n.path ?? n.logicalId, `${n.typeName}, ${n.state}: ${n.how}`, ...n.details].join('\n'))}</title>` +
      `<rect width="${p.width}" height="${p.height}" rx="8" fill="${c.fill}" stroke="${c.stroke}"/>` +
      `<text class="node-label" x="12" y="21" fill="${c.text}">${esc(truncate(label, 28))}</text>` +
      `<text class="node-type" x="12" y="38" fill="${c.text}">${esc(truncate(`${n.typeName} · ${n.state}`, 34))}</text>` +
      `<text class="node-how" x="12" y="54" fill="${c.text}">${esc(truncate(n.how, 34))}</text>` +
      '</g>';
  });
  const edges = layout.edges.map(r => {
    const label = kinds.get(`${r.from}\u0000${r.to}`)!.join(', ');
    const width = label.length * 6.2 + 8;
    return `<g class="edge" data-from="${esc(r.from)}" data-to="${esc(r.to)}" data-kind="${esc(label)}">` +
      `<path d="${r.path}" marker-end="url(#${marker})"/>` +
      `<rect class="edge-label-bg" x="${(r.labelX - width / 2).toFixed(1)}" y="${(r.labelY - 9).toFixed(1)}" width="${width.toFixed(1)}" height="14" rx="3"/>` +
      `<text class="edge-label" x="${r.labelX.toFixed(1)}" y="${(r.labelY + 2).toFixed(1)}" text-anchor="middle">${esc(label)}</text>` +
      '</g>';
  });
  return `<svg class="service-map" xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" ` +
    `viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="Expected service map of ${esc(stack.displayName)}">` +
    `<defs><marker id="${marker}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">` +
    '<path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>' +
    `<g class="nodes">${nodes.join('')}</g><g class="edges">${edges.join('')}</g></svg>`;
}

function coverageTable(stack: StackReport): string {
  if (stack.nodes.length === 0) {
    return '<p class="empty">No resources on a request path in this stack.</p>';
  }
  const rows = stack.nodes.map(n => `<tr data-id="${esc(n.id)}"><td class="state-${esc(n.state)}">${esc(n.state)}</td>` +
    `<td>${esc(n.typeName)}</td><td><code>${esc(n.path ?? n.logicalId)}</code></td><td>${esc(n.how)}</td>` +
    `<td>${esc(n.details.join('; '))}</td></tr>`);
  return '<table class="coverage"><thead><tr><th>State</th><th>Type</th><th>Resource</th><th>How</th><th>Details</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`;
}

function findingsList(stack: StackReport): string {
  if (stack.findings.length === 0) {
    return '<p class="empty findings-none">No findings: the rules report nothing here.</p>';
  }
  return `<ul class="findings">${stack.findings.map(f =>
    `<li class="finding${f.acknowledged !== undefined ? ' acknowledged' : ''}" data-rule="${esc(f.rule)}" data-level="${esc(f.level)}" data-node="${esc(f.nodeId)}">` +
    `<span class="rule">${esc(f.rule)}</span> (${esc(f.level)}) <code>${esc(f.path ?? f.logicalId ?? f.nodeId)}</code>: ${esc(f.message)}` +
    (f.acknowledged !== undefined ? ` <em>(acknowledged: ${esc(f.acknowledged)})</em>` : '') + '</li>').join('')}</ul>`;
}

function migrationSection(m: MigrationReport): string {
  const dates = `The AWS X-Ray SDKs and daemon are in maintenance since ${esc(m.maintenanceSince)} and lose support on ` +
    `<strong>${esc(m.endOfSupport)}</strong> (the X-Ray developer guide's end of support timeline; the JSON report gives its address).`;
  const powertools = m.powertoolsFunctions.length === 0 ? '' :
    `<p class="powertools">${m.powertoolsFunctions.length} function(s) use Powertools Tracer, built on the X-Ray SDK: Powertools ` +
    'replaces that dependency, so keep Powertools up to date (or move to <code>LambdaInstrumentation.adot()</code>).</p>';
  if (m.items.length === 0) {
    return ['<section class="migration" data-items="0">', '<h2>X-Ray SDK and daemon migration</h2>',
      `<p class="empty migration-none">Nothing to migrate: no resource uses an X-Ray SDK or the X-Ray daemon. ${dates}</p>`, powertools, '</section>'].join('\n');
  }
  const rows = m.items.flatMap(item => item.parts.map((p, i) => `<tr data-node="${esc(item.nodeId)}" data-uses="${esc(p.uses)}">` +
    `<td>${i === 0 ? `<code>${esc(item.path ?? item.nodeId)}</code><br>${esc(item.typeName)}` +
      (item.acknowledged !== undefined ? `<br><em>acknowledged: ${esc(item.acknowledged)}</em>` : '') : ''}</td>` +
    `<td>${esc(p.name)}</td><td>${esc(usesText(p))}<br><small>${esc(p.evidence)}</small></td>` +
    `<td><code>${esc(p.replacement)}</code></td><td><code>${esc(p.change)}</code></td></tr>`));
  return [
    `<section class="migration" data-items="${m.items.length}">`,
    '<h2>X-Ray SDK and daemon migration</h2>',
    `<p>${dates} ${m.items.length} resource(s) to move to OpenTelemetry:</p>`,
    '<table class="migration"><thead><tr><th>Resource</th><th>Part</th><th>Uses</th><th>Replacement</th><th>Change</th></tr></thead>' +
      `<tbody>${rows.join('')}</tbody></table>`,
    powertools,
    '</section>',
  ].join('\n');
}

function costSection(report: AppReport): string {
  const cost = report.cost!;
  return [
    '<section class="cost">',
    '<h2>Estimated monthly X-Ray cost</h2>',
    `<p>Traffic from ${esc(cost.source)}. Sampling rules and the free tier belong to an account and Region, so the estimate covers ` +
      'every rule of the assembly the traffic profile names.</p>',
    table(['Rule', 'Stack', 'Requests/s', 'Reservoir/s', 'Fixed rate', 'Requests/month', 'Traces recorded/month', 'Error traces/month', 'Effective ratio'],
      cost.rules.map(r => [esc(r.name), esc(r.stackId ?? '-'), String(r.requestsPerSecond), String(r.reservoirPerSecond),
        esc(formatPercent(r.fixedRate)), formatCount(r.requestsPerMonth), formatCount(r.tracesRecordedPerMonth),
        formatCount(r.errorTracesRecordedPerMonth), esc(formatPercent(r.effectiveSampleRatio))]), 'cost-rules', [2, 3, 4, 5, 6, 7, 8]),
    table(['Item', 'USD per month'], [
      ['Recording', formatUsd(cost.recordingCostUsd)],
      ['Retrieval', formatUsd(cost.retrievalCostUsd)],
      ['Scanning', formatUsd(cost.scanningCostUsd)],
      ['Insights', formatUsd(cost.insightsCostUsd)],
      ...(cost.transactionSearch !== undefined ? [
        ['Transaction Search span ingestion', pricedUsd(cost.transactionSearch.spanIngestionCostUsd)],
        [`Transaction Search indexing (${cost.transactionSearch.indexingPercentage} %, 1 % free)`, formatUsd(cost.transactionSearch.indexingCostUsd)],
      ] : []),
      ...(cost.applicationSignals !== undefined ? [['Application Signals', pricedUsd(cost.applicationSignals.costUsd)]] : []),
      ['<strong>Total</strong>', `<strong class="total-cost">${formatUsd(cost.monthlyCostUsd)}</strong>`],
    ], 'cost-total', [1]),
    cost.rulesWithoutTraffic.length > 0
      ? `<p class="empty">Rules without traffic in the profile (not estimated): ${esc(cost.rulesWithoutTraffic.join(', '))}.</p>` : '',
    ...transactionSearchNotes(cost).map(n => `<p class="cost-note">${esc(n.trim())}</p>`),
    `<pre>${esc(cost.table)}</pre>`,
    '</section>',
  ].join('\n');
}

function table(header: string[], rows: string[][], cls: string, numeric: number[] = []): string {
  const cell = (v: string, i: number) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${v}</td>`;
  return `<table class="${cls}"><thead><tr>${header.map(h => `<th>${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map(r => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table>`;
}

function pricedUsd(costUsd: number | undefined): string {
  return costUsd === undefined ? 'not priced' : formatUsd(costUsd);
}

function num(n: number | undefined): string {
  return n === undefined ? '?' : String(n);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Escapes text for HTML content and attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
