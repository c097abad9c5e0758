import type { AppFacts } from './app-facts';
import type { CostVerdict } from './cost-facts';
import { NagRuleResult } from './nag-values';
import type { TraceFacts } from './trace-facts';
import type { TemplateModel, TemplateResource } from '../template/model';

/**
 * What a rule reads besides the resource it judges, for one validation run: the template model and what was derived
 * from it once for the whole app. Owned by the run (`ChecksRun`); nothing here is kept between runs.
 */
export interface RuleContext {
  /** The synthesized templates being checked. */
  readonly model: TemplateModel;
  /** Annotation keys, the policy's findings, sampling rules and groups of the whole app. */
  readonly facts: AppFacts;
  /** The app's trace graph, its nodes and findings by resource key. */
  readonly trace: TraceFacts;
  /** The cost check's verdict, computed on first use; undefined when the pack has no budget. */
  cost(): CostVerdict | undefined;
}

/**
 * A rule of the pack: a pure function of one resource of the template model (and of the run's context for the
 * app-wide rules), named after its file, which names the rule (`XRay-<name>`).
 */
export type XRayRule = (resource: TemplateResource, context: RuleContext) => NagRuleResult;

/** Names a rule function after its file, as cdk-nag derives rule ids from function names. */
export function named<T extends Function>(name: string, rule: T): T {
  return Object.defineProperty(rule, 'name', { value: name });
}
