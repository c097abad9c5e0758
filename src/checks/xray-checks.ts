import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport, PolicyViolation, Stack } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { acknowledgmentOf, PACK_NAME } from './acknowledgments';
import { ChecksRun } from './checks-run';
import { findingsOf, RuleFinding, ruleIdOf, unknownRuleFindings } from './evaluate';
import { RULES } from './rule-table';
import { validateXRayChecksProps } from './validate-props';
import { XRayChecksProps } from './xray-checks-props';
import { AnnotationPolicy } from '../policy/annotation-policy';

/**
 * The cdk-nag v3 rule pack of cdk-xray-constructs: tracing coverage and X-Ray least privilege across a whole app, so
 * a CI `cdk synth` fails when something is untraced.
 *
 * Register it as a policy-validation plugin: `Validations.of(app).addPlugins(new XRayChecks(app))`. Findings carry
 * ids `XRay-<Rule>` (granular ones `XRay-<Rule>[<finding>]`); Error-level findings fail the synthesis, Warning-level
 * ones are reported without failing it unless `warningsFail` is set. Acknowledge a deliberate exception with
 * `Validations.of(construct).acknowledge({ id: 'XRay-LambdaFunctionUntraced', reason: '...' })` (`XRay::XRay-LambdaFunctionUntraced`,
 * as aws-cdk-lib's report suggests, works too). Rules and their ids: RULES.md.
 */
export class XRayChecks extends NagPack {
  /** The ids of every rule in the pack, in RULES.md order. */
  public static packRuleIds(): string[] {
    return RULES.map(ruleIdOf);
  }

  private readonly policy: AnnotationPolicy;
  private readonly budgetUsd?: number;
  private readonly requestsPerSecondByRule?: { [ruleName: string]: number };
  private readonly warningsFail: boolean;
  private readonly verboseMessages: boolean;
  /** The run in progress: set for the length of one `validate` or `validateScope` call, then dropped. */
  private current?: RunState;

  constructor(scope?: IConstruct, props: XRayChecksProps = {}) {
    super(scope, props);
    validateXRayChecksProps(props ?? {});
    this.packName = PACK_NAME;
    this.policy = props.annotationPolicy ?? new AnnotationPolicy({ allowUndeclaredKeys: true });
    this.budgetUsd = props.monthlyBudgetUsd;
    this.requestsPerSecondByRule = props.requestsPerSecondByRule;
    this.warningsFail = props.warningsFail ?? false;
    this.verboseMessages = props.verbose ?? false;
  }

  /**
   * Called by aws-cdk-lib after synthesis: checks the templates it just wrote (`context.stackTemplates`, or
   * `context.templatePaths` where aws-cdk-lib has no `stackTemplates`), read into the same model `cdk-xray` reads from
   * a cloud assembly, and reports each finding on its construct.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const scope: IConstruct | undefined = context.appConstruct;
    if (scope === undefined) {
      // aws-cdk-lib passes the tree from 2.258 on; cdk-nag refuses a context without it, with its own message.
      return super.validate(context);
    }
    return this.check(scope, ChecksRun.ofValidationContext(context, scope, this.runOptions()));
  }

  /**
   * Checks every resource under `scope`, for unit tests (`cdk synth` calls `validate`). The rules read the templates
   * of the app `scope` belongs to: the app is synthesized as `app.synth()` does it, once (a later call reuses the
   * result, as `Template.fromStack` does; aws-cdk-lib refuses a tree changed since). The app-wide rules (annotation
   * policy and budget, sampling priorities, cost) read facts collected once from the whole app, and the trace rules
   * read its trace graph.
   *
   * The report fails (`success: false`) when it has an Error-level finding, or a Warning-level one with `warningsFail`.
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return this.check(scope, ChecksRun.ofSynthesis(scope, this.runOptions()));
  }

  /** The pack's name, as validation reports show it. */
  public get name(): string {
    return PACK_NAME;
  }

  /** Applies every rule to the model's resource for `node` (nothing when the run's templates do not hold it). */
  protected checkResource(node: CfnResource): void {
    const state = this.current;
    const resource = state?.run.resourceOf(node);
    if (state === undefined || resource === undefined) {
      return;
    }
    state.visited.set(resource.key, node);
    for (const finding of findingsOf(resource, state.run, this.verboseMessages)) {
      this.record(state, finding, node);
    }
  }

  private runOptions() {
    return { policy: this.policy, budgetUsd: this.budgetUsd, requestsPerSecondByRule: this.requestsPerSecondByRule };
  }

  /** Walks `scope` as cdk-nag does, with `run` as the run in progress. */
  private check(scope: IConstruct, run: ChecksRun): PolicyValidationPluginReport {
    const state: RunState = { run, found: [], visited: new Map() };
    this.current = state;
    try {
      super.validateScope(scope);
      this.reportUnknownRules(scope, state);
    } finally {
      this.current = undefined;
    }
    const fails = state.found.some(v => v.severity === 'error' || (this.warningsFail && v.severity === 'warning'));
    return { success: !fails, violations: state.found };
  }

  /**
   * Records one finding on its construct, with what cdk-nag v3 leaves out: acknowledgments recorded by every
   * aws-cdk-lib version (see `acknowledgedRuleId`), a message per occurrence, a level per granular finding.
   */
  private record(state: RunState, finding: RuleFinding, construct: IConstruct): void {
    if (acknowledgmentOf(construct, finding.ruleId) !== undefined) {
      return;
    }
    const severity = finding.level === NagMessageLevel.ERROR ? 'error' : finding.level === NagMessageLevel.WARN ? 'warning' : 'info';
    const resource = { constructPath: construct.node.path, locations: ['Properties'] };
    const existing = state.found.find(v => v.ruleName === finding.ruleId && v.description === finding.description);
    if (existing !== undefined) {
      existing.violatingResources.push(resource);
    } else {
      state.found.push({
        ruleName: finding.ruleId,
        description: finding.description,
        severity,
        fix: finding.fix,
        violatingResources: [resource],
        ...(finding.metadata !== undefined ? { ruleMetadata: { ...finding.metadata } } : {}),
      });
    }
  }

  /** The findings about the pack's own options (`unknownRuleFindings`): on the app's sampling rules, else its stacks. */
  private reportUnknownRules(scope: IConstruct, state: RunState): void {
    const findings = unknownRuleFindings(state.run);
    if (findings.length === 0) {
      return;
    }
    const onRules = state.run.facts.samplingRules.map(r => state.visited.get(`${r.stackId}/${r.logicalId}`))
      .filter((c): c is CfnResource => c !== undefined);
    const where: IConstruct[] = onRules.length > 0 ? onRules : scope.node.findAll().filter(c => Stack.isStack(c));
    for (const finding of findings) {
      for (const construct of where.length > 0 ? where : [scope]) {
        this.record(state, finding, construct);
      }
    }
  }
}

/** The state of the run in progress. */
interface RunState {
  readonly run: ChecksRun;
  /** The findings so far, grouped by rule id and message as validation reports show them. */
  readonly found: PolicyViolation[];
  /** The constructs visited, by the key of their resource in the model. */
  readonly visited: Map<string, CfnResource>;
}
