import { ChecksRun, ChecksRunOptions } from './checks-run';
import { findingsOf, RuleFinding, unknownRuleFindings } from './evaluate';
import { NagMessageLevel } from './nag-values';
import { acknowledgmentAt } from '../template/acknowledgments';
import { TemplateModel, TemplateStack } from '../template/model';

/** One finding of the pack on a cloud assembly, where it is, and the acknowledgment that silences it, if any. */
export interface AssemblyFinding {
  /** `XRay-<Rule>`, or `XRay-<Rule>[<finding>]` for a granular finding. */
  readonly ruleId: string;
  readonly level: NagMessageLevel;
  /** The message the in-synth pack reports (the validation report's description). */
  readonly message: string;
  /** How to fix it: the rule's explanation. */
  readonly fix: string;
  readonly stackId: string;
  /** The template file of the stack, relative to the assembly directory. */
  readonly templateFile: string;
  /** The resource's logical id; absent for a finding about the stack (a traffic entry naming no rule, in an app without rules). */
  readonly logicalId?: string;
  /** The construct path of the resource (or stack), when the assembly records it. */
  readonly path?: string;
  /** The reason given with `Validations.of(scope).acknowledge(...)`, when the finding is acknowledged. */
  readonly acknowledged?: string;
  readonly metadata?: { readonly [key: string]: string };
}

/**
 * Every finding of `XRayChecks` on the templates of `model`, as the in-synth pack finds them: the rules of every
 * resource, in the model's resource order, then the findings about the pack's options (on each sampling rule of the
 * app, else on each stack). Acknowledgments the stacks record are attached, not applied: the caller decides whether an
 * acknowledged finding is shown. `stackIds` limits the findings reported (the rules still read the whole app).
 */
export function checkAssembly(model: TemplateModel, options: ChecksRunOptions, verbose = false, stackIds?: ReadonlySet<string>): AssemblyFinding[] {
  const run = new ChecksRun(model, options);
  const wanted = (stackId: string) => stackIds === undefined || stackIds.has(stackId);
  const found: AssemblyFinding[] = [];
  for (const resource of model.resources) {
    const stack = model.stack(resource.stackId);
    if (stack === undefined || !wanted(stack.stackId)) {
      continue;
    }
    for (const f of findingsOf(resource, run, verbose)) {
      found.push(located(stack, f, resource.logicalId, resource.path));
    }
  }
  const aboutOptions = unknownRuleFindings(run);
  if (aboutOptions.length > 0) {
    const rules = run.facts.samplingRules.map(r => model.resourceIn(r.stackId, r.logicalId)).filter(r => r !== undefined);
    for (const f of aboutOptions) {
      if (rules.length > 0) {
        for (const rule of rules) {
          const stack = model.stack(rule.stackId);
          if (stack !== undefined && wanted(stack.stackId)) {
            found.push(located(stack, f, rule.logicalId, rule.path));
          }
        }
      } else {
        for (const stack of model.stacks.filter(s => wanted(s.stackId))) {
          found.push(located(stack, f, undefined, stack.path));
        }
      }
    }
  }
  return found;
}

function located(stack: TemplateStack, f: RuleFinding, logicalId: string | undefined, path: string | undefined): AssemblyFinding {
  const acknowledged = acknowledgmentAt(stack.acknowledgments, path, f.ruleId);
  return {
    ruleId: f.ruleId,
    level: f.level,
    message: f.description,
    fix: f.fix,
    stackId: stack.stackId,
    templateFile: stack.templateFile,
    ...(logicalId !== undefined ? { logicalId } : {}),
    ...(path !== undefined ? { path } : {}),
    ...(acknowledged !== undefined ? { acknowledged } : {}),
    ...(f.metadata !== undefined ? { metadata: f.metadata } : {}),
  };
}

/** Whether a finding fails the gate: not acknowledged, and at Error level, or at Warning level with `warningsFail`. */
export function failsGate(finding: AssemblyFinding, warningsFail: boolean): boolean {
  return finding.acknowledged === undefined
    && (finding.level === NagMessageLevel.ERROR || (warningsFail && finding.level === NagMessageLevel.WARN));
}
