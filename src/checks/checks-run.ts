import { CfnResource, IPolicyValidationContext, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AppFacts, collectAppFacts } from './app-facts';
import { costVerdict, CostVerdict } from './cost-facts';
import { RuleContext } from './rule-helpers';
import { collectTraceFacts, TraceFacts } from './trace-facts';
import { AnnotationPolicy } from '../policy/annotation-policy';
import { TemplateModel, TemplateResource } from '../template/model';
import { readAssembly, readTemplateFiles, TemplateSource } from '../template/read';

/** What a run of the pack needs from its props. */
export interface ChecksRunOptions {
  readonly policy: AnnotationPolicy;
  readonly budgetUsd?: number;
  readonly requestsPerSecondByRule?: { readonly [ruleName: string]: number };
}

/**
 * One validation run of `XRayChecks`: the template model of the synthesis being validated, and everything derived from
 * it once for the run (the app's facts, its trace graph, the cost verdict). Created per run and dropped after it, so
 * nothing is kept between runs or shared between packs.
 *
 * The rules read the model only, so a run needs no construct tree: `new ChecksRun(readAssembly(dir), options)` and
 * `findingsOf(resource, run)` for each resource check a cloud assembly. With the tree (`scope`), the run also finds the
 * model's resource for each `CfnResource` cdk-nag visits (by construct path; by logical id,
 * `Stack.of(node).resolve(node.logicalId)`, where the templates and the assembly record no path) and resolves numbers
 * given to the pack as tokens.
 */
export class ChecksRun implements RuleContext {
  /**
   * The run of a validation plugin call: the templates aws-cdk-lib just wrote, from `context.stackTemplates`
   * (aws-cdk-lib 2.262 and later: with each stack's construct path, account and Region), else `context.templatePaths`.
   */
  public static ofValidationContext(context: IPolicyValidationContext, scope: IConstruct, options: ChecksRunOptions): ChecksRun {
    return new ChecksRun(readTemplateFiles(templateSources(context)), options, scope);
  }

  /**
   * The run of `validateScope(scope)` called directly (in a unit test): the cloud assembly of the app `scope` belongs
   * to, read as `cdk-xray` reads it. An app already synthesized is not synthesized again (aws-cdk-lib refuses a tree
   * changed since); one that was not is synthesized now. Where that synthesis fails its validation plugins (aws-cdk-lib
   * 2.262 and later throw `ValidationFailed` after writing the assembly), the assembly it wrote is read.
   */
  public static ofSynthesis(scope: IConstruct, options: ChecksRunOptions): ChecksRun {
    const root = scope.node.root;
    const stage = Stage.isStage(root) ? root : Stage.of(scope);
    if (stage === undefined) {
      throw new Error(`[XRayChecks] validateScope(${scope.node.path || '<root>'}) needs a scope inside an App or a Stage, whose synthesis ` +
        'writes the templates the rules read. Create the stacks in an App.');
    }
    let directory: string;
    try {
      directory = stage.synth().directory;
    } catch (e: any) {
      if (e?.name !== 'ValidationFailed') {
        throw e;
      }
      directory = stage.outdir;
    }
    return new ChecksRun(readAssembly(directory), options, scope);
  }

  public readonly facts: AppFacts;
  public readonly trace: TraceFacts;
  private verdict: CostVerdict | undefined | null = null;
  private anchor: Stack | undefined | null = null;

  /**
   * @param model the templates to check
   * @param options the pack's options
   * @param scope the construct tree the templates were synthesized from, when there is one
   */
  constructor(public readonly model: TemplateModel, private readonly options: ChecksRunOptions, private readonly scope?: IConstruct) {
    this.facts = collectAppFacts(model, options.policy);
    this.trace = collectTraceFacts(model);
  }

  /** The cost check's verdict, computed on first use; undefined when the pack has no budget. (Bound: rules destructure it.) */
  public readonly cost = (): CostVerdict | undefined => {
    if (this.verdict === null) {
      const { budgetUsd, requestsPerSecondByRule } = this.options;
      this.verdict = budgetUsd === undefined || requestsPerSecondByRule === undefined
        ? undefined : costVerdict(this.facts, budgetUsd, requestsPerSecondByRule, value => this.resolve(value));
    }
    return this.verdict;
  };

  /**
   * The model's resource for a resource of the construct tree, or undefined when the run's templates do not hold it
   * (a stack the plugin was not given).
   */
  public resourceOf(node: CfnResource): TemplateResource | undefined {
    const byPath = this.model.resourceAt(node.node.path);
    if (byPath !== undefined) {
      return byPath.type === node.cfnResourceType ? byPath : undefined;
    }
    const stack = Stack.of(node);
    const modelled = this.model.stackAt(stack.node.path);
    if (modelled === undefined) {
      return undefined;
    }
    const found = this.model.resourceIn(modelled.stackId, stack.resolve(node.logicalId));
    return found?.type === node.cfnResourceType ? found : undefined;
  }

  /**
   * A value given to the pack as a token, resolved in a stack of the app (a `Lazy` has a value at validation time);
   * without a tree, it stays a deploy-time value.
   */
  private resolve(value: unknown): unknown {
    if (this.anchor === null) {
      this.anchor = this.scope === undefined ? undefined : Stack.isStack(this.scope) ? this.scope : this.scope.node.findAll().find(Stack.isStack);
    }
    return this.anchor === undefined ? value : this.anchor.resolve(value);
  }
}

/** The templates of a validation context, with what aws-cdk-lib says about their stacks where it says it. */
function templateSources(context: IPolicyValidationContext): TemplateSource[] {
  // `stackTemplates` exists from aws-cdk-lib 2.262 on; this library supports older versions, whose types lack it.
  const stackTemplates: unknown = (context as any).stackTemplates;
  if (Array.isArray(stackTemplates) && stackTemplates.length > 0
    && stackTemplates.every(t => typeof t?.templatePath === 'string' && typeof t?.stackConstructPath === 'string')) {
    return stackTemplates.map(t => ({
      templatePath: t.templatePath,
      stackPath: t.stackConstructPath,
      ...(typeof t.accountId === 'string' ? { account: t.accountId } : {}),
      ...(typeof t.region === 'string' ? { region: t.region } : {}),
    }));
  }
  return (context.templatePaths ?? []).map(templatePath => ({ templatePath }));
}
