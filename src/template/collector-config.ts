/**
 * The keys an OpenTelemetry collector configuration indexes as X-Ray annotations: the `indexed_attributes` of its
 * `awsxray` exporters (`exporters.awsxray`, `exporters.awsxray/<name>`), read from the YAML that `AdotCollectorConfig`
 * renders (or a hand-written configuration in the same shape) as a template holds it: a string, or an `Fn::Join` whose
 * non-literal parts (the Region in an environment-agnostic stack) are deploy-time values.
 *
 * Only the YAML subset collector configurations use is read: block mappings by indentation, block lists (`- x`) and
 * flow lists (`[a, b]`) of plain, single- or double-quoted scalars. Keys that are deploy-time values are skipped.
 */

import { DEPLOY_TIME, templateText } from '../private/template-text';

export { templateText } from '../private/template-text';

/** Whether `index_all_attributes: true` is set as well (every attribute is indexed then). */
export interface CollectorIndexing {
  readonly keys: string[];
  readonly indexAll: boolean;
}

/** The indexing of every `awsxray` exporter of a configuration, or undefined when it has none (not a collector config). */
export function collectorIndexing(value: unknown): CollectorIndexing | undefined {
  const text = templateText(value);
  if (text === undefined || !/^exporters:/m.test(text)) {
    return undefined;
  }
  const lines = text.split(/\r?\n/).map(raw => ({ indent: raw.length - raw.trimStart().length, text: stripComment(raw).trim() }))
    .filter(l => l.text.length > 0);
  const exportersAt = lines.findIndex(l => l.indent === 0 && l.text === 'exporters:');
  if (exportersAt < 0) {
    return undefined;
  }
  const keys: string[] = [];
  let indexAll = false;
  let found = false;
  const exporters = childrenOf(lines, exportersAt);
  for (const i of exporters) {
    const name = mappingKey(lines[i].text);
    if (name === undefined || !/^awsxray(\/.*)?$/.test(name)) {
      continue;
    }
    found = true;
    for (const j of childrenOf(lines, i)) {
      const key = mappingKey(lines[j].text);
      const inline = inlineValue(lines[j].text);
      if (key === 'index_all_attributes') {
        indexAll = indexAll || /^(true|"true"|'true')$/i.test(inline);
      } else if (key === 'indexed_attributes') {
        const items = inline.length > 0 ? flowList(inline) : childrenOf(lines, j)
          .filter(k => lines[k].text.startsWith('-')).map(k => scalar(lines[k].text.slice(1).trim()));
        keys.push(...items.filter(k => k.length > 0 && !k.includes(DEPLOY_TIME)));
      }
    }
  }
  return found ? { keys: [...new Set(keys)], indexAll } : undefined;
}

/** The indexes of the lines nested directly or deeper under line `at` (more indented, until one that is not). */
function childrenOf(lines: Array<{ indent: number; text: string }>, at: number): number[] {
  const children: number[] = [];
  let childIndent: number | undefined;
  for (let i = at + 1; i < lines.length; i++) {
    // A block list may sit at the same indentation as its key (`key:\n- a`).
    const sameLevelList = lines[i].indent === lines[at].indent && lines[i].text.startsWith('-') && mappingKey(lines[at].text) !== undefined;
    if (lines[i].indent <= lines[at].indent && !sameLevelList) {
      break;
    }
    childIndent ??= lines[i].indent;
    if (lines[i].indent === childIndent) {
      children.push(i);
    }
  }
  return children;
}

function mappingKey(text: string): string | undefined {
  const match = /^("[^"]*"|'[^']*'|[^\s:#][^:]*?)\s*:(\s|$)/.exec(text);
  return match === null ? undefined : scalar(match[1]);
}

function inlineValue(text: string): string {
  const match = /^("[^"]*"|'[^']*'|[^\s:#][^:]*?)\s*:\s*(.*)$/.exec(text);
  return match === null ? '' : match[2].trim();
}

function flowList(text: string): string[] {
  if (!text.startsWith('[') || !text.endsWith(']')) {
    return [];
  }
  const items: string[] = [];
  const pattern = /\s*("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^,\]]+)\s*(,|$)/g;
  const body = text.slice(1, -1);
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(body)) !== null && match[0].length > 0) {
    items.push(scalar(match[1].trim()));
  }
  return items;
}

function scalar(text: string): string {
  if (text.startsWith('"') && text.endsWith('"') && text.length >= 2) {
    try {
      return JSON.parse(text);
    } catch {
      return text.slice(1, -1);
    }
  }
  if (text.startsWith('\'') && text.endsWith('\'') && text.length >= 2) {
    return text.slice(1, -1).replace(/''/g, '\'');
  }
  return text;
}

/** A line without its ` # comment` (a `#` inside quotes is kept). */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') {
        i++;
      } else if (c === quote) {
        quote = undefined;
      }
    } else if (c === '"' || c === '\'') {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) {
      return line.slice(0, i);
    }
  }
  return line;
}
