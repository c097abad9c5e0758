import { Lazy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnResourcePolicy } from 'aws-cdk-lib/aws-xray';
import { Construct, IConstruct } from 'constructs';
import { lateProblem, registerSingleton } from './late-checks';
import { describeEnvironment, environmentKey, registeredInEnvironment } from '../private/environment-registry';
import { renderValue, ProblemCollector, unwrapResolutionError } from '../private/errors';
import { stackOf } from '../private/iam-actions';
import { warn } from '../private/warnings';

/** Resource policies per account (X-Ray PutResourcePolicy). */
const RESOURCE_POLICY_QUOTA = 5;

/** Longest policy document X-Ray accepts, in characters. */
const MAX_POLICY_DOCUMENT_LENGTH = 5120;

/**
 * Properties of an `XRayResourcePolicy`.
 */
export interface XRayResourcePolicyProps {
  /**
   * The policy name: 1–128 characters of letters, digits and `_+=,.@-`.
   *
   * @default 'cdk-xray-constructs'
   */
  readonly policyName?: string;

  /**
   * Statements to start with; more can be added with `addStatements()`.
   *
   * @default - none
   */
  readonly statements?: iam.PolicyStatement[];

  /**
   * Skip the check that the policy does not lock the caller out of changing it later.
   *
   * @default false
   */
  readonly bypassPolicyLockoutCheck?: boolean;
}

/**
 * The X-Ray resource policy (`AWS::XRay::ResourcePolicy`) that lets AWS services such as SNS send traces to X-Ray.
 *
 * There is one per account and region within an app: a second one is an error naming the first, and helpers such as
 * `SnsTracing` add their statements to it through `XRayResourcePolicy.of(scope)`. At synthesis every statement must
 * be valid in a resource policy (aws-cdk-lib's `validateForResourcePolicy()`: a principal and an action), the document
 * must fit X-Ray's 5,120 characters when it has no unresolved values, and the app must not declare more than 5 X-Ray
 * resource policies (`AWS::XRay::ResourcePolicy`, this construct's or raw ones) or two with one name in one account and
 * region. An account holds at most 5 resource policies, including those made outside this app; a warning reminds of it.
 */
export class XRayResourcePolicy extends Resource {
  /**
   * The resource policy of the scope's account and region in this app, created in the scope's stack on first use.
   */
  public static of(scope: IConstruct): XRayResourcePolicy {
    stackOf(scope, 'XRayResourcePolicy.of');
    const existing = registeredInEnvironment('XRayResourcePolicy', scope)[0];
    if (existing !== undefined) {
      return existing as XRayResourcePolicy;
    }
    return new XRayResourcePolicy(stackOf(scope, 'XRayResourcePolicy.of'), 'XRayResourcePolicy');
  }

  /** The policy name. */
  public readonly policyName: string;

  /** The policy document. */
  public readonly document: iam.PolicyDocument;

  private readonly resource: CfnResourcePolicy;

  constructor(scope: Construct, id: string, props: XRayResourcePolicyProps = {}) {
    super(scope, id);
    registerSingleton('XRayResourcePolicy', this, 'X-Ray resource policy of this app',
      'Add statements to the one policy with XRayResourcePolicy.of(scope).addStatements(...).');
    this.policyName = props.policyName ?? 'cdk-xray-constructs';
    const problems = new ProblemCollector(this);
    if (!Token.isUnresolved(this.policyName) && (typeof this.policyName !== 'string' || !/^[\w+=,.@-]{1,128}$/.test(this.policyName))) {
      problems.add('policyName', 'must be 1 to 128 characters of letters, digits and _+=,.@-', this.policyName, 'Choose a name such as "sns-tracing".');
    }

    if (props.statements !== undefined && !Token.isUnresolved(props.statements)) {
      (Array.isArray(props.statements) ? props.statements : [props.statements]).forEach((statement, i) => {
        if (!(statement instanceof iam.PolicyStatement)) {
          problems.add(`statements[${i}]`, 'must be an iam.PolicyStatement', statement, 'Pass new iam.PolicyStatement({ principals, actions, resources }).');
        }
      });
    }
    if (props.bypassPolicyLockoutCheck !== undefined && !Token.isUnresolved(props.bypassPolicyLockoutCheck) && typeof props.bypassPolicyLockoutCheck !== 'boolean') {
      problems.add('bypassPolicyLockoutCheck', 'must be true or false', props.bypassPolicyLockoutCheck, 'Omit it to keep the check.');
    }
    problems.throwIfAny();

    this.document = new iam.PolicyDocument({ statements: props.statements });
    this.resource = new CfnResourcePolicy(this, 'Resource', {
      policyName: this.policyName,
      policyDocument: Lazy.string({ produce: () => Stack.of(this).toJsonString(this.document) }),
      bypassPolicyLockoutCheck: props.bypassPolicyLockoutCheck,
    });
    this.node.addValidation({ validate: () => this.validateDocument() });
    warn(this, 'resourcePolicyQuota',
      `An account holds at most ${RESOURCE_POLICY_QUOTA} X-Ray resource policies per region, including any made outside this ` +
      'app; this app keeps all of its statements for this account and region in this one.');
  }

  /** Adds statements to the policy. */
  public addStatements(...statements: iam.PolicyStatement[]): void {
    this.document.addStatements(...statements);
  }

  private validateDocument(): string[] {
    if (this.document.isEmpty) {
      return [lateProblem('statements', 'are empty, and X-Ray refuses an empty resource policy', [], 'Add statements or remove the policy.')];
    }
    const problems = [...this.validateStatements(), ...this.validateAccountLimits()];
    let rendered: string;
    try {
      rendered = JSON.stringify(Stack.of(this).resolve(this.document));
    } catch (e) {
      return [...problems, lateProblem('statements', `cannot be rendered: ${unwrapResolutionError(e instanceof Error ? e.message : String(e)).replace(/\.$/, '')}`, this.policyName,
        'Check the values in the statements (a reference to another stack or region cannot be used here).')];
    }
    if (rendered.includes('"Ref"') || rendered.includes('"Fn::')) {
      return problems; // holds values known only at deploy time; X-Ray checks the length then
    }
    if (rendered.length > MAX_POLICY_DOCUMENT_LENGTH) {
      problems.push(lateProblem('statements', `render a policy document longer than X-Ray's ${MAX_POLICY_DOCUMENT_LENGTH} characters`, rendered.length,
        'Merge statements (one statement can list several source ARNs in its condition).'));
    }
    return problems;
  }

  /** Every statement needs what a resource policy needs (a principal and an action), as aws-cdk-lib checks it. */
  private validateStatements(): string[] {
    const statements = (this.document as unknown as { statements?: unknown }).statements;
    if (!Array.isArray(statements)) {
      return this.document.validateForResourcePolicy().map(m => lateProblem('statements', `are not valid in a resource policy: ${m}`,
        this.policyName, 'Give each statement a principal and at least one action.'));
    }
    const problems: string[] = [];
    statements.forEach((statement: iam.PolicyStatement, i) => {
      for (const message of statement.validateForResourcePolicy()) {
        problems.push(lateProblem(`statements[${i}]${statement.sid ? ` (${statement.sid})` : ''}`, `is not valid in a resource policy: ${message.replace(/\.$/, '')}`,
          safeJson(this, statement), 'Give it a principal (for example new iam.ServicePrincipal(\'sns.amazonaws.com\')) and at least one xray: action.'));
      }
    });
    return problems;
  }

  /** Names are unique per account and region, and an account holds at most 5 X-Ray resource policies. */
  private validateAccountLimits(): string[] {
    const key = environmentKey(this);
    const peers = this.node.root.node.findAll().filter((c): c is CfnResourcePolicy => c instanceof CfnResourcePolicy && environmentKey(c) === key);
    const problems: string[] = [];
    if (peers.length > RESOURCE_POLICY_QUOTA) {
      problems.push(lateProblem('policyName', `is one of ${peers.length} X-Ray resource policies this app declares for ${describeEnvironment(key)}, ` +
        `more than the ${RESOURCE_POLICY_QUOTA} an account holds`, peers.map(p => p.node.path),
      'Add the statements to this policy (XRayResourcePolicy.of(scope).addStatements(...)) instead of declaring more policies.'));
    }
    const name = Stack.of(this).resolve(this.policyName);
    const same = peers.find(p => p !== this.resource && Stack.of(p).resolve(p.policyName) === name && typeof name === 'string');
    if (same !== undefined) {
      problems.push(lateProblem('policyName', `is also the name of ${same.node.path} in ${describeEnvironment(key)}`, name,
        'X-Ray resource policy names are unique per account and region: add the statements to one policy.'));
    }
    return problems;
  }
}

function safeJson(scope: Construct, statement: iam.PolicyStatement): unknown {
  try {
    return Stack.of(scope).resolve(statement.toStatementJson());
  } catch {
    return renderValue(statement);
  }
}
