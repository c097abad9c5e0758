/**
 * The README's quick start as data: the marked blocks between `<!-- quickstart:begin -->` and
 * `<!-- quickstart:end -->` (the format is described in test/quickstart/readme-quickstart.test.ts), the checklist they
 * must satisfy, and the bash script that runs one language's steps in order.
 */
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const README = path.join(ROOT, 'README.md');

export const BEGIN = '<!-- quickstart:begin -->';
export const END = '<!-- quickstart:end -->';

export type QuickstartLanguage = 'typescript' | 'python';
export const QUICKSTART_LANGUAGES: readonly QuickstartLanguage[] = ['typescript', 'python'];

export type QuickstartBlock =
  | { readonly kind: 'run'; readonly language: QuickstartLanguage; readonly line: number; readonly body: string }
  | { readonly kind: 'file'; readonly language: QuickstartLanguage; readonly line: number; readonly body: string; readonly file: string }
  | { readonly kind: 'output'; readonly language: QuickstartLanguage; readonly line: number; readonly body: string };

/** The README is not in the shape the quick start test can run. */
export class QuickstartFormatError extends Error {}

const MARKER = /^<!--\s*quickstart\s+(.*?)\s*-->\s*$/;
const FENCE = /^(`{3,})\s*([\w+-]*)\s*$/;
/** Fences inside the quick start that need no marker: not executed, not files. */
const UNMARKED_FENCE_LANGUAGES = new Set(['java', 'text']);

/** The marked blocks of the quick start, in README order. Throws on anything malformed. */
export function parseQuickstart(markdown: string): QuickstartBlock[] {
  const lines = markdown.split('\n');
  const begins = lines.flatMap((l, i) => (l.trim() === BEGIN ? [i] : []));
  const ends = lines.flatMap((l, i) => (l.trim() === END ? [i] : []));
  if (begins.length !== 1 || ends.length !== 1) {
    throw new QuickstartFormatError(
      `expected one ${BEGIN} and one ${END} line, found ${begins.length} and ${ends.length}`);
  }
  const [begin, end] = [begins[0], ends[0]];
  if (end < begin) throw new QuickstartFormatError(`${END} (line ${end + 1}) comes before ${BEGIN} (line ${begin + 1})`);
  const heading = lines.slice(0, begin).reverse().find(l => l.trim() !== '');
  if (heading !== '## Quick start') {
    throw new QuickstartFormatError(`${BEGIN} must come directly under the "## Quick start" heading, not under ${JSON.stringify(heading)}`);
  }

  const blocks: QuickstartBlock[] = [];
  let pending: { words: string[]; line: number } | undefined;
  for (let i = begin + 1; i < end; i++) {
    const text = lines[i];
    const marker = MARKER.exec(text.trim());
    if (marker) {
      if (pending) throw new QuickstartFormatError(`line ${pending.line}: marker not followed by a fenced block`);
      pending = { words: marker[1].split(/\s+/), line: i + 1 };
      continue;
    }
    const fence = FENCE.exec(text);
    if (!fence) {
      if (pending) throw new QuickstartFormatError(`line ${pending.line}: marker not followed directly by a fenced block`);
      continue;
    }
    const close = lines.findIndex((l, j) => j > i && j < end && l.trim() === fence[1]);
    if (close < 0) throw new QuickstartFormatError(`line ${i + 1}: fenced block not closed before ${END}`);
    const body = lines.slice(i + 1, close).join('\n') + '\n';
    if (pending) {
      blocks.push(toBlock(pending.words, pending.line, fence[2], body));
      pending = undefined;
    } else if (!UNMARKED_FENCE_LANGUAGES.has(fence[2])) {
      throw new QuickstartFormatError(
        `line ${i + 1}: a \`\`\`${fence[2]} block without a quickstart marker (mark it, or make it \`\`\`text)`);
    }
    i = close;
  }
  if (pending) throw new QuickstartFormatError(`line ${pending.line}: marker not followed by a fenced block`);
  return blocks;
}

function toBlock(words: string[], line: number, fenceLanguage: string, body: string): QuickstartBlock {
  const [language, kind, ...rest] = words;
  if (!QUICKSTART_LANGUAGES.includes(language as QuickstartLanguage)) {
    throw new QuickstartFormatError(`line ${line}: unknown quickstart language ${JSON.stringify(language)}`);
  }
  const lang = language as QuickstartLanguage;
  if ((kind === 'run' || kind === 'output') && rest.length === 0) {
    if (kind === 'run' && fenceLanguage !== 'bash') {
      throw new QuickstartFormatError(`line ${line}: a run block must be \`\`\`bash, not \`\`\`${fenceLanguage}`);
    }
    return { kind, language: lang, line, body };
  }
  const file = kind?.startsWith('file=') && rest.length === 0 ? kind.slice('file='.length) : undefined;
  if (file === undefined) {
    throw new QuickstartFormatError(`line ${line}: expected "<language> run", "<language> output" or "<language> file=<path>", ` +
      `found ${JSON.stringify(words.join(' '))}`);
  }
  if (file === '' || path.isAbsolute(file) || file.split('/').includes('..') || !/^[\w./-]+$/.test(file)) {
    throw new QuickstartFormatError(`line ${line}: file=${file} must be a plain relative path inside the app`);
  }
  return { kind: 'file', language: lang, line, body, file };
}

/** The versions the quick start must agree with, read from .projenrc.ts. */
export interface ProjectVersions {
  /** The CDK CLI the project pins (`CDK_CLI_VERSION`). */
  readonly cli: string;
  /** The oldest aws-cdk-lib the library supports (`CDK_VERSION`). */
  readonly minimumCdkLib: string;
  /** The newest aws-cdk-lib the suite is tested on (`CDK_NEWEST_TESTED`). */
  readonly newestCdkLib: string;
}

export function projectVersions(projenrc = fs.readFileSync(path.join(ROOT, '.projenrc.ts'), 'utf8')): ProjectVersions {
  const constant = (name: string): string => {
    const match = new RegExp(`^const ${name} = '([^']+)';`, 'm').exec(projenrc);
    if (!match) throw new Error(`.projenrc.ts has no "const ${name} = '...';"`);
    return match[1];
  };
  return { cli: constant('CDK_CLI_VERSION'), minimumCdkLib: constant('CDK_VERSION'), newestCdkLib: constant('CDK_NEWEST_TESTED') };
}

/** Compares two `major.minor.patch` versions: negative, 0 or positive. */
export function compareVersions(a: string, b: string): number {
  const [pa, pb] = [a, b].map(v => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  }
  return 0;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What each language's quick start must contain; each entry is one problem when it is missing. */
function requirements(language: QuickstartLanguage, versions: ProjectVersions): Array<{ what: string; in: 'run' | 'files'; test: RegExp }> {
  const cli = escape(versions.cli);
  if (language === 'typescript') {
    return [
      { what: `npx aws-cdk@${versions.cli} init app --language typescript`, in: 'run', test: new RegExp(`^npx aws-cdk@${cli} init app --language typescript$`, 'm') },
      { what: 'npm install cdk-xray-constructs', in: 'run', test: /^npm install (.* )?cdk-xray-constructs( |$)/m },
      { what: 'npx cdk synth', in: 'run', test: /^npx cdk synth$/m },
      { what: 'npx cdk-xray report cdk.out', in: 'run', test: /^npx cdk-xray report cdk\.out$/m },
      { what: 'a TracedFunction', in: 'files', test: /new TracedFunction\(/ },
      { what: 'LambdaInstrumentation.powertools()', in: 'files', test: /LambdaInstrumentation\.powertools\(\)/ },
      { what: 'a TracedRestApi', in: 'files', test: /new TracedRestApi\(/ },
      { what: 'Validations.of(app).addPlugins(new XRayChecks(app))', in: 'files', test: /Validations\.of\(app\)\.addPlugins\(new XRayChecks\(app\)\)/ },
    ];
  }
  return [
    { what: 'python3 -m venv .venv', in: 'run', test: /^python3 -m venv \.venv$/m },
    { what: 'source .venv/bin/activate', in: 'run', test: /^source \.venv\/bin\/activate$/m },
    { what: 'pip install cdk-xray-constructs aws-cdk-lib constructs cdk-nag', in: 'run', test: /^pip install cdk-xray-constructs aws-cdk-lib constructs cdk-nag$/m },
    { what: `npx aws-cdk@${versions.cli} synth`, in: 'run', test: new RegExp(`^npx aws-cdk@${cli} synth$`, 'm') },
    { what: 'cdk-xray report cdk.out', in: 'run', test: /^cdk-xray report cdk\.out$/m },
    { what: 'a TracedFunction', in: 'files', test: /TracedFunction\(self, / },
    { what: 'LambdaInstrumentation.powertools()', in: 'files', test: /LambdaInstrumentation\.powertools\(\)/ },
    { what: 'a TracedRestApi', in: 'files', test: /TracedRestApi\(self, / },
    { what: 'cdk.Validations.of(app).add_plugins(XRayChecks(app))', in: 'files', test: /Validations\.of\(app\)\.add_plugins\(XRayChecks\(app\)\)/ },
    { what: 'app.synth()', in: 'files', test: /^app\.synth\(\)$/m },
  ];
}

const REQUIRED_FILES: Record<QuickstartLanguage, string[]> = {
  typescript: ['lib/my-app-stack.ts', 'bin/my-app.ts'],
  python: ['app.py', 'cdk.json'],
};

/**
 * Everything that is wrong with the quick start, one line each; empty when it can run. No blocks at all is a problem
 * (a README without its quick start must fail the test, not pass it with nothing to run).
 */
export function checklist(blocks: readonly QuickstartBlock[], versions: ProjectVersions): string[] {
  const problems: string[] = [];
  for (const language of QUICKSTART_LANGUAGES) {
    const mine = blocks.filter(b => b.language === language);
    const runs = mine.filter(b => b.kind === 'run').map(b => b.body).join('');
    const files = mine.flatMap(b => (b.kind === 'file' ? [b] : []));
    if (mine.length === 0) {
      problems.push(`${language}: no quickstart blocks`);
      continue;
    }
    if (!mine.some(b => b.kind === 'run')) problems.push(`${language}: no run block`);
    for (const file of REQUIRED_FILES[language]) {
      if (!files.some(f => f.file === file)) problems.push(`${language}: no file=${file} block`);
    }
    const seen = new Set<string>();
    for (const f of files) {
      if (seen.has(f.file)) problems.push(`${language}: file=${f.file} appears twice`);
      seen.add(f.file);
    }
    const fileText = files.map(f => f.body).join('\n');
    for (const r of requirements(language, versions)) {
      if (!r.test.test(r.in === 'run' ? runs : fileText)) problems.push(`${language}: missing ${r.what}`);
    }
    const synths = runs.split('\n').filter(l => / synth\b/.test(l));
    if (synths.length !== 1) problems.push(`${language}: expected one synth command, found ${synths.length}`);
    if (mine[0].kind !== 'run') problems.push(`${language}: the first block must be a run block (it creates the app)`);
    mine.forEach((b, i) => {
      if (b.kind === 'output' && mine[i - 1]?.kind !== 'run') {
        problems.push(`${language}: the output block at line ${b.line} does not follow a run block`);
      }
    });
  }
  for (const block of blocks) {
    for (const match of block.body.matchAll(/aws-cdk@(\S+)/g)) {
      if (match[1] !== versions.cli) {
        problems.push(`line ${block.line}: aws-cdk@${match[1]}, but the project pins the CLI at ${versions.cli} (CDK_CLI_VERSION)`);
      }
    }
  }
  return problems;
}

/** A rewrite of command lines: where the packages come from, and the CLI flags the offline run needs. */
export interface Substitution {
  readonly what: string;
  /** The lines it rewrites. */
  readonly line: RegExp;
  readonly replace: (line: string) => string;
  /** How many lines it must change (fewer or more means the README changed under the test). */
  readonly times: number | 'at least once';
}

/** Applies each substitution to the matching lines; throws when one matched a different number of lines. */
export function substitute(commands: string, substitutions: readonly Substitution[]): string {
  let lines = commands.split('\n');
  for (const s of substitutions) {
    let count = 0;
    lines = lines.map(line => {
      if (!s.line.test(line)) return line;
      count++;
      return s.replace(line);
    });
    if (s.times === 'at least once' ? count === 0 : count !== s.times) {
      throw new QuickstartFormatError(`substitution "${s.what}" matched ${count} line(s), expected ${s.times}`);
    }
  }
  return lines.join('\n');
}

export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** Printed before each run block's commands, so the output can be split per block. */
export const BLOCK_SENTINEL = '::quickstart-block::';
/** Printed last, with the directory the steps ended in (the app). */
export const CWD_SENTINEL = '::quickstart-cwd::';

const HEREDOC = 'QUICKSTART_FILE_END';

/**
 * One bash script that runs a language's blocks in README order: run blocks as written (after `substitutions`), file
 * blocks written with a quoted heredoc in the directory the previous commands left the shell in.
 */
export function buildScript(blocks: readonly QuickstartBlock[], substitutions: readonly Substitution[],
  checkCommands: (commands: string) => void = () => {}): string {
  const runBodies = blocks.filter(b => b.kind === 'run').map(b => b.body);
  // Substitutions count over all run blocks at once, then the rewritten text is cut back into its blocks.
  const separator = '\n#::quickstart-split::\n';
  const commands = substitute(runBodies.join(separator), substitutions);
  checkCommands(commands);
  const rewritten = commands.split(separator);
  let next = 0;
  const parts = ['set -euo pipefail', 'exec 2>&1'];
  for (const block of blocks) {
    if (block.kind === 'run') {
      parts.push(`printf '\\n%s %d\\n' '${BLOCK_SENTINEL}' ${next}`, rewritten[next].trimEnd());
      next++;
    } else if (block.kind === 'file') {
      if (block.body.split('\n').includes(HEREDOC)) throw new QuickstartFormatError(`file=${block.file} contains ${HEREDOC}`);
      parts.push(`mkdir -p ${shellQuote(path.posix.dirname(block.file))}`,
        `cat > ${shellQuote(block.file)} <<'${HEREDOC}'\n${block.body}${HEREDOC}`);
    }
  }
  parts.push(`printf '\\n%s%s\\n' '${CWD_SENTINEL}' "$PWD"`);
  return parts.join('\n') + '\n';
}

/** The output of each run block (by its index among the run blocks) and the directory the script ended in. */
export function splitOutput(output: string): { blocks: string[]; cwd?: string } {
  const blocks: string[][] = [];
  let cwd: string | undefined;
  for (const line of output.split('\n')) {
    const sentinel = new RegExp(`^${escape(BLOCK_SENTINEL)} (\\d+)$`).exec(line);
    if (sentinel) {
      blocks[Number(sentinel[1])] = [];
    } else if (line.startsWith(CWD_SENTINEL)) {
      cwd = line.slice(CWD_SENTINEL.length);
    } else if (blocks.length > 0) {
      blocks[blocks.length - 1].push(line);
    }
  }
  return { blocks: Array.from(blocks, b => (b ?? []).join('\n')), cwd };
}

/** Whitespace runs collapsed, so a README excerpt matches output whose table columns are padded differently. */
export function normalizeLine(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

/** The lines of an output block that the run block's output does not contain (whitespace-normalized). */
export function missingOutputLines(expected: string, actual: string): string[] {
  const have = new Set(actual.split('\n').map(normalizeLine));
  return expected.split('\n').map(normalizeLine).filter(l => l !== '' && !have.has(l));
}
