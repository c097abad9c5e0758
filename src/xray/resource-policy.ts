import { Lazy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnResourcePolicy } from 'aws-cdk-lib/aws-xray';
import { Construct, IConstruct } from 'constructs';
import { describeEnvironment, environmentKey, registeredInEnvironment, registerInEnvironment } from '../private/environment-registry';
import { ProblemCollector } from '../private/errors';
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
 * `SnsTracing` add their statements to it through `XRayResourcePolicy.of(scope)`. The document is checked against
 * X-Ray's 5,120-character limit when it has no unresolved values. An account holds at most 5 resource policies,
 * including those made outside this app; a warning reminds of it.
 */
export class XRayResourcePolicy extends Resource {
  /**
   * The resource policy of the scope's account and region in this app, created in the scope's stack on first use.
   */
  public static of(scope: IConstruct): XRayResourcePolicy {
    const existing = registeredInEnvironment('XRayResourcePolicy', scope)[0];
    if (existing !== undefined) {
      return existing as XRayResourcePolicy;
    }
    return new XRayResourcePolicy(Stack.of(scope), 'XRayResourcePolicy');
  }

  /** The policy name. */
  public readonly policyName: string;

  /** The policy document. */
  public readonly document: iam.PolicyDocument;

  constructor(scope: Construct, id: string, props: XRayResourcePolicyProps = {}) {
    super(scope, id);
    const first = registeredInEnvironment('XRayResourcePolicy', this)[0];
    if (first !== undefined) {
      throw new Error(`[${this.node.path}] an X-Ray resource policy already exists for ${describeEnvironment(environmentKey(this))} ` +
        `at ${first.node.path} (got a second one). Add statements to it with XRayResourcePolicy.of(scope).addStatements(...).`);
    }
    registerInEnvironment('XRayResourcePolicy', this);
    this.policyName = props.policyName ?? 'cdk-xray-constructs';
    const problems = new ProblemCollector(this);
    if (!Token.isUnresolved(this.policyName) && !/^[\w+=,.@-]{1,128}$/.test(this.policyName)) {
      problems.add('policyName', 'must be 1 to 128 characters of letters, digits and _+=,.@-', this.policyName, 'Choose a name such as "sns-tracing".');
    }
    problems.throwIfAny();

    this.document = new iam.PolicyDocument({ statements: props.statements });
    new CfnResourcePolicy(this, 'Resource', {
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
      return [`[${this.node.path}] the X-Ray resource policy has no statements (got an empty document). Add statements or remove it.`];
    }
    const rendered = JSON.stringify(Stack.of(this).resolve(this.document));
    if (rendered.includes('"Ref"') || rendered.includes('"Fn::')) {
      return []; // holds values known only at deploy time; X-Ray checks the length then
    }
    if (rendered.length > MAX_POLICY_DOCUMENT_LENGTH) {
      return [`[${this.node.path}] the policy document is longer than X-Ray's ${MAX_POLICY_DOCUMENT_LENGTH} characters (got ${rendered.length}). ` +
        'Merge statements (one statement can list several source ARNs in its condition).'];
    }
    return [];
  }
}
