import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { propertiesOf } from './rule-helpers';
import { AnnotationFinding, AnnotationKeySource, AnnotationKeyUsage, AnnotationPolicy } from '../policy/annotation-policy';
import { environmentKey } from '../private/environment-registry';
import { FilterExpression } from '../xray/filter-expression';

/** A sampling rule as the app-wide rules see it. */
export interface SampledRuleFact {
  readonly node: CfnResource;
  readonly name: string;
  readonly priority: unknown;
  readonly fixedRate: unknown;
  readonly reservoirSize: unknown;
  readonly environment: string;
}

/** What the app-wide rules need to know about the whole app, collected once per validation run. */
export interface AppFacts {
  /** Every annotation key declared or referenced, with where. */
  readonly usages: AnnotationKeyUsage[];
  /** The keys each resource declares or references, by construct path. */
  readonly keysByResource: Map<string, string[]>;
  readonly samplingRules: SampledRuleFact[];
  /** The annotation policy's findings over `usages`, evaluated once per run. */
  readonly policyFindings: AnnotationFinding[];
}

const ANNOTATION_KEYS_ENV = 'XRAY_ANNOTATION_KEYS';

function splitKeys(value: unknown): string[] {
  return typeof value === 'string' && !Token.isUnresolved(value) ? value.split(',').map(k => k.trim()).filter(k => k.length > 0) : [];
}

/** Collects the app-wide facts under a scope, reading L1 resources only. */
export function collectAppFacts(scope: IConstruct, policy: AnnotationPolicy): AppFacts {
  const usages: AnnotationKeyUsage[] = [];
  const keysByResource = new Map<string, string[]>();
  const samplingRules: SampledRuleFact[] = [];
  const add = (node: CfnResource, keys: string[], kind: AnnotationKeySource) => {
    if (keys.length === 0) {
      return;
    }
    const unique = [...new Set(keys)];
    keysByResource.set(node.node.path, unique);
    for (const key of unique) {
      usages.push({ key, source: node.node.path, kind });
    }
  };
  for (const construct of scope.node.findAll()) {
    if (!CfnResource.isCfnResource(construct)) {
      continue;
    }
    const node = construct;
    switch (node.cfnResourceType) {
      case 'AWS::Lambda::Function':
        add(node, splitKeys(propertiesOf(node).Environment?.Variables?.[ANNOTATION_KEYS_ENV]), AnnotationKeySource.LAMBDA_FUNCTION);
        break;
      case 'AWS::ECS::TaskDefinition': {
        const keys = (propertiesOf(node).ContainerDefinitions ?? []).flatMap((c: any) =>
          (c.Environment ?? []).filter((e: any) => e.Name === ANNOTATION_KEYS_ENV).flatMap((e: any) => splitKeys(e.Value)));
        add(node, keys, AnnotationKeySource.ECS_TASK);
        break;
      }
      case 'AWS::XRay::Group': {
        const expression = propertiesOf(node).FilterExpression;
        add(node, typeof expression === 'string' ? FilterExpression.parse(expression).annotationKeys : [], AnnotationKeySource.GROUP_FILTER);
        break;
      }
      case 'AWS::XRay::SamplingRule': {
        const rule = propertiesOf(node).SamplingRule ?? {};
        samplingRules.push({
          node,
          name: typeof rule.RuleName === 'string' ? rule.RuleName : node.node.path,
          priority: rule.Priority,
          fixedRate: rule.FixedRate,
          reservoirSize: rule.ReservoirSize,
          environment: environmentKey(Stack.of(node)),
        });
        break;
      }
      default:
        break;
    }
  }
  return { usages, keysByResource, samplingRules, policyFindings: policy.evaluate(usages) };
}
