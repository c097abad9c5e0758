import { Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { fail } from '../private/errors';
import { XRayResourcePolicy } from '../xray/resource-policy';

const topicsByPolicy = new WeakMap<XRayResourcePolicy, sns.ITopic[]>();

/**
 * Active X-Ray tracing for SNS topics, with the X-Ray resource policy SNS needs to send segments.
 */
export class SnsTracing {
  /**
   * Turns on `Active` tracing for a standard topic made in this app and allows SNS to send its segments through the
   * account's `XRayResourcePolicy` (one statement for all topics of the account and region, scoped by
   * `aws:SourceAccount` and `aws:SourceArn`). Calling it twice changes nothing.
   */
  public static enable(topic: sns.ITopic): void {
    if (topic === undefined || topic === null || !Construct.isConstruct(topic) || typeof topic.topicArn !== 'string') {
      fail('SnsTracing.enable', 'topic', 'must be an SNS topic', topic, 'Pass an sns.Topic made in this app.');
    }
    const cfn = topic.node.defaultChild as sns.CfnTopic | undefined;
    if (!(cfn instanceof sns.CfnTopic)) {
      fail(topic, 'topic', 'is imported, so its tracing mode cannot be set here', topic.topicArn,
        'Enable Active tracing where the topic is defined.');
    }
    if (topic.fifo) {
      fail(topic, 'topic', 'is a FIFO topic; SNS supports Active tracing on standard topics only', 'fifo: true',
        'Use a standard topic, or keep PassThrough on this one.');
    }
    cfn.tracingConfig = 'Active';
    const policy = XRayResourcePolicy.of(topic);
    let topics = topicsByPolicy.get(policy);
    if (topics === undefined) {
      topics = [];
      topicsByPolicy.set(policy, topics);
      const sourceArns = topics;
      policy.addStatements(new iam.PolicyStatement({
        sid: 'SnsActiveTracing',
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['xray:PutTraceSegments', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(policy).account },
          ArnLike: { 'aws:SourceArn': Lazy.list({ produce: () => sourceArns.map(t => t.topicArn) }) },
        },
      }));
    }
    if (!topics.includes(topic)) {
      topics.push(topic);
    }
  }

  /**
   * The same as `enable(topic)`.
   *
   * @deprecated use `SnsTracing.enable(topic)`, named like the other services' tracing
   */
  public static enableActive(topic: sns.ITopic): void {
    SnsTracing.enable(topic);
  }

  private constructor() {}
}
