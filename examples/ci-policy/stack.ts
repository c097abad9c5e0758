import * as path from 'path';
import { Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { LambdaInstrumentation, SamplingRate, SamplingRule, TracedFunction } from '../../src';

export interface CiPolicyStackProps extends StackProps {
  /**
   * Record the acknowledgments, with their reasons, that make this app pass XRayChecks.
   * @default false
   */
  readonly acknowledge?: boolean;
}

/** The requests per second each sampling rule of this app matches, for the cost check. */
export const REQUESTS_PER_SECOND_BY_RULE = { 'checkout-everything': 300 };

/** The monthly X-Ray budget the cost check enforces, in USD. */
export const MONTHLY_BUDGET_USD = 100;

/**
 * What a CI policy gate catches: a function nobody traced, an annotation key that would index personal data, and a
 * sampling rule that records every request of a busy service (about $4,000 a month at 300 requests/s).
 */
export class CiPolicyStack extends Stack {
  public readonly untraced: lambda.Function;
  public readonly checkout: TracedFunction;
  public readonly everything: SamplingRule;

  constructor(scope: Construct, id: string, props: CiPolicyStackProps = {}) {
    super(scope, id, props);
    const code = lambda.Code.fromAsset(path.join(__dirname, 'handler'));
    this.untraced = new lambda.Function(this, 'Reports', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });
    this.checkout = new TracedFunction(this, 'Checkout', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code,
      instrumentation: LambdaInstrumentation.powertools(),
      annotationKeys: ['tenant_tier', 'customer_email'],
    });
    this.everything = new SamplingRule(this, 'Everything', {
      samplingRuleName: 'checkout-everything',
      priority: 10,
      serviceName: 'checkout',
      fixedRate: SamplingRate.all(),
      reservoirSize: 0,
    });

    if (props.acknowledge) {
      Validations.of(this.untraced).acknowledge({
        id: 'XRay-LambdaFunctionUntraced', reason: 'Internal report job started by an operator; its traces are not needed.',
      });
      Validations.of(this.checkout).acknowledge({
        id: 'XRay-AnnotationKeyPolicy[denied:customer_email]', reason: 'Staging only: synthetic customers, no personal data.',
      });
      Validations.of(this.everything).acknowledge({
        id: 'XRay-TraceCostBudget', reason: 'Load test this week; the rule is removed on Friday.',
      });
    }
  }
}
