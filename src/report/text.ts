import type { CostReport } from './cost';
import { migrationText } from './migration';
import type { AppReport, CoverageCounts, StackReport } from './report-types';
import { formatPercent, formatUsd } from '../private/format';

export interface TextOptions {
  /** Include the Mermaid service map of each stack. @default true */
  readonly mermaid?: boolean;
}

/** The report for people: one block per stack, then the cost estimate and the totals. */
export function renderText(report: AppReport, options: TextOptions = {}): string {
  const out: string[] = [`X-Ray trace report of ${report.assembly}`, ''];
  for (const stack of report.stacks) {
    out.push(...stackText(stack, options.mermaid ?? true), '');
  }
  if (report.stacks.length === 0) {
    out.push('The assembly has no stacks.', '');
  }
  if (report.migration !== undefined) {
    out.push(...migrationText(report.migration), '');
  }
  if (report.cost) {
    const c = report.cost;
    out.push(`Estimated monthly X-Ray cost (traffic: ${c.source}; all stacks, one account and Region):`);
    out.push(...c.table.split('\n').map(l => (l ? `  ${l}` : '')));
    if (c.rulesWithoutTraffic.length > 0) {
      out.push(`  Rules without traffic in the profile (not estimated): ${c.rulesWithoutTraffic.join(', ')}`);
    }
    out.push(...transactionSearchNotes(c));
    out.push('');
  }
  const t = report.totals;
  out.push(`Total: ${t.stacks} stack(s), ${t.total} node(s) (${countsText(t)}), ${t.edges} edge(s), ` +
    `${t.findings} finding(s) (${t.failingFindings} error(s))${t.acknowledgedFindings > 0 ? ` and ${t.acknowledgedFindings} acknowledged` : ''}` +
    (report.cost ? `, ${formatUsd(report.cost.monthlyCostUsd)} per month` : ''));
  return out.join('\n') + '\n';
}

/** What the cost section says about Transaction Search and unpriced items, besides the table. */
export function transactionSearchNotes(c: CostReport): string[] {
  const out: string[] = [];
  const config = c.transactionSearchConfig;
  if (c.transactionSearch !== undefined) {
    const from = { profile: 'the traffic profile', assembly: `${config?.stackId}/${config?.logicalId} (AWS::XRay::TransactionSearchConfig)`, default: 'the free default' };
    out.push(`  Transaction Search: indexing ${c.transactionSearch.indexingPercentage} % from ${from[c.transactionSearch.indexingPercentageFrom]}.`);
  } else if (config !== undefined) {
    out.push(`  Transaction Search is on in ${config.stackId}/${config.logicalId}` +
      `${config.indexingPercentage !== undefined ? ` (IndexingPercentage ${config.indexingPercentage})` : ''}: give "transactionSearch" ` +
      '{ "spansPerTrace", "averageSpanSizeBytes" } in the traffic profile to estimate its spans; the X-Ray recording figures above do not apply then.');
  }
  if (c.unpricedItems.length > 0) {
    out.push(`  Not priced (no price given, not in the total): ${c.unpricedItems.join(', ')}. See docs/cost.md for why no default price is shipped.`);
  }
  return out;
}

function stackText(stack: StackReport, mermaid: boolean): string[] {
  const out: string[] = [];
  const where = [stack.stackName !== stack.displayName ? `stack name ${stack.stackName}` : undefined, stack.environment, stack.templateFile]
    .filter(x => x !== undefined).join(', ');
  out.push(`Stack ${stack.displayName} (${where})`);
  const c = stack.coverage;
  out.push(`  Coverage: ${c.total} node(s): ${countsText(c)}`);
  for (const t of c.byType) {
    out.push(`    ${t.typeName.padEnd(22)} ${t.traced}/${t.total} traced${t.total > t.traced ? ` (${countsText(t, true)})` : ''}`);
  }
  if (stack.nodes.length > 0) {
    out.push(...indent(columns([
      ['State', 'Type', 'Resource', 'How', 'Details'],
      null,
      ...stack.nodes.map(n => [n.state, n.typeName, n.path ?? n.logicalId, n.how, n.details.join('; ')]),
    ]), '    '));
  }
  if (mermaid) {
    out.push('  Service map (Mermaid):');
    out.push(...indent(stack.mermaid.split('\n'), '    '));
  } else {
    out.push(`  Service map: ${stack.edges.length} edge(s)`);
    for (const e of stack.edges) {
      out.push(`    ${e.from} --${e.kind}--> ${e.to}`);
    }
  }
  const open = stack.findings.filter(f => f.acknowledged === undefined);
  const acknowledged = stack.findings.length - open.length;
  out.push(`  Findings: ${stack.findings.length === 0 ? 'none' : `${open.length}${acknowledged > 0 ? ` (and ${acknowledged} acknowledged)` : ''}`}`);
  for (const f of [...open, ...stack.findings.filter(x => x.acknowledged !== undefined)]) {
    out.push(`    ${f.rule} (${f.level}) [${f.path ?? f.logicalId ?? f.nodeId}] ${f.message}`);
    if (f.acknowledged !== undefined) {
      out.push(`      acknowledged: ${f.acknowledged}`);
    }
  }
  if (stack.samplingRules.length > 0) {
    out.push(`  Sampling rules: ${stack.samplingRules.length} (first match in ascending priority)`);
    out.push(...indent(columns([
      ['Priority', 'Rule', 'Reservoir/s', 'Fixed rate', 'Matches'],
      null,
      ...stack.samplingRules.map(r => [String(r.priority ?? '?'), r.ruleName, String(r.reservoirSize ?? '?'),
        r.fixedRate === undefined ? '?' : formatPercent(r.fixedRate), r.matches]),
    ]), '    '));
  } else {
    out.push('  Sampling rules: none in this stack');
  }
  if (stack.groups.length > 0) {
    out.push(`  Groups: ${stack.groups.length}`);
    for (const g of stack.groups) {
      const insights = g.insights ? (g.notifications ? ' [Insights, notifications]' : ' [Insights]') : '';
      out.push(`    ${g.groupName.padEnd(20)} ${g.filterExpression}${insights}`);
    }
  }
  out.push(`  IAM policies allowing xray:PutTraceSegments: ${stack.xrayWritePolicies.length}`);
  for (const p of stack.xrayWritePolicies) {
    out.push(`    ${p.logicalId.padEnd(32)} ${p.type} attached to ${p.principals} principal(s)`);
  }
  const notModelled = stack.notModelled ?? [];
  const total = notModelled.reduce((n, t) => n + t.count, 0);
  out.push(`  Not modelled: ${total === 0 ? 'none' : `${total} resource(s) of types the trace graph does not read`}`);
  for (const t of notModelled) {
    out.push(`    ${t.type} (${t.count})`);
  }
  return out;
}

function countsText(c: CoverageCounts, skipTraced = false): string {
  return [
    skipTraced ? undefined : `${c.traced} traced`,
    `${c.passThrough} pass-through`,
    `${c.untraced} untraced`,
    `${c.unsupported} unsupported`,
    `${c.downstream} downstream`,
  ].filter(x => x !== undefined && (!skipTraced || !x.startsWith('0 '))).join(', ');
}

function indent(lines: string[], prefix: string): string[] {
  return lines.map(l => `${prefix}${l}`);
}

/** Left-aligned columns; `null` draws a rule under the header. */
function columns(rows: Array<string[] | null>): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row?.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  }
  return rows.map(row => (row ?? widths.map(w => '-'.repeat(w))).map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
}
