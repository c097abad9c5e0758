import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { collectorIndexing } from './collector-keys';
import { logicalIdOf, propertiesOf } from './rule-helpers';
import { AnnotationFinding, AnnotationKeySource, AnnotationKeyUsage, AnnotationPolicy } from '../policy/annotation-policy';
import { ANNOTATION_KEYS_ENV } from '../private/annotation-keys';
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

/** An X-Ray group as the cost rule sees it. */
export interface GroupFact {
  readonly node: CfnResource;
  /** Whether Insights is on (`InsightsConfiguration.InsightsEnabled`); a deploy-time value counts as on (an upper bound). */
  readonly insights: boolean;
}

/** What the app-wide rules need to know about the whole app, collected once per validation run. */
export interface AppFacts {
  /** Every annotation key declared or referenced, with where. */
  readonly usages: AnnotationKeyUsage[];
  /** The keys each resource declares or references, by construct path. */
  readonly keysByResource: Map<string, string[]>;
  readonly samplingRules: SampledRuleFact[];
  readonly groups: GroupFact[];
  /** The annotation policy's findings over `usages`, evaluated once per run. */
  readonly policyFindings: AnnotationFinding[];
}


/** The variable (or secret) the ADOT collector reads its configuration from. */
const COLLECTOR_CONFIG_VARIABLE = 'AOT_CONFIG_CONTENT';

function splitKeys(value: unknown): string[] {
  return typeof value === 'string' && !Token.isUnresolved(value) ? value.split(',').map(k => k.trim()).filter(k => k.length > 0) : [];
}

/** Collects the app-wide facts under a scope, reading L1 resources only. */
export function collectAppFacts(scope: IConstruct, policy: AnnotationPolicy): AppFacts {
  const usages: AnnotationKeyUsage[] = [];
  const keysByResource = new Map<string, string[]>();
  const samplingRules: SampledRuleFact[] = [];
  const groups: GroupFact[] = [];
  const add = (node: CfnResource, keys: string[], kind: AnnotationKeySource) => {
    if (keys.length === 0) {
      return;
    }
    const unique = [...new Set(keys)];
    const known = keysByResource.get(node.node.path) ?? [];
    keysByResource.set(node.node.path, [...new Set([...known, ...unique])]);
    for (const key of unique.filter(k => !known.includes(k))) {
      usages.push({ key, source: node.node.path, kind });
    }
  };
  const resources = scope.node.findAll().filter(CfnResource.isCfnResource);
  const parameters = collectorParameters(resources);
  for (const node of resources) {
    switch (node.cfnResourceType) {
      case 'AWS::Lambda::Function':
        add(node, splitKeys(propertiesOf(node).Environment?.Variables?.[ANNOTATION_KEYS_ENV]), AnnotationKeySource.LAMBDA_FUNCTION);
        break;
      case 'AWS::ECS::TaskDefinition': {
        const containers: any[] = asArray(propertiesOf(node).ContainerDefinitions);
        const keys = containers.flatMap((c: any) =>
          asArray(c?.Environment).filter((e: any) => e?.Name === ANNOTATION_KEYS_ENV).flatMap((e: any) => splitKeys(e.Value)));
        add(node, keys, AnnotationKeySource.ECS_TASK);
        // The keys the task's collector indexes, also those declared only on its AdotCollectorConfig.
        add(node, containers.flatMap(c => collectorKeysOf(node, c, parameters)), AnnotationKeySource.COLLECTOR);
        break;
      }
      case 'AWS::XRay::Group': {
        const props = propertiesOf(node);
        const expression = props.FilterExpression;
        add(node, typeof expression === 'string' ? FilterExpression.parse(expression).annotationKeys : [], AnnotationKeySource.GROUP_FILTER);
        const insights = props.InsightsConfiguration?.InsightsEnabled;
        groups.push({ node, insights: insights === true || insights === 'true' || (insights !== null && typeof insights === 'object') });
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
  return { usages, keysByResource, samplingRules, groups, policyFindings: policy.evaluate(usages) };
}

function asArray(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** The SSM parameters of the app, by stack and logical id: where `EcsTracing` puts a task's collector configuration. */
function collectorParameters(resources: CfnResource[]): Map<Stack, Map<string, CfnResource>> {
  const byStack = new Map<Stack, Map<string, CfnResource>>();
  for (const node of resources.filter(r => r.cfnResourceType === 'AWS::SSM::Parameter')) {
    const stack = Stack.of(node);
    const map = byStack.get(stack) ?? new Map<string, CfnResource>();
    map.set(logicalIdOf(node), node);
    byStack.set(stack, map);
  }
  return byStack;
}

/**
 * The keys the collector configuration of one container indexes: `AOT_CONFIG_CONTENT` as a variable holding the YAML,
 * or as a secret read from an SSM parameter of the same stack (`ecs.Secret.fromSsmParameter`, as `EcsTracing` does).
 */
function collectorKeysOf(task: CfnResource, container: any, parameters: Map<Stack, Map<string, CfnResource>>): string[] {
  const inline = asArray(container?.Environment).find((e: any) => e?.Name === COLLECTOR_CONFIG_VARIABLE)?.Value;
  const secret = asArray(container?.Secrets).find((e: any) => e?.Name === COLLECTOR_CONFIG_VARIABLE)?.ValueFrom;
  const values: unknown[] = inline !== undefined ? [inline] : [];
  for (const logicalId of refsIn(secret)) {
    const parameter = parameters.get(Stack.of(task))?.get(logicalId);
    if (parameter !== undefined) {
      values.push(propertiesOf(parameter).Value);
    }
  }
  return values.flatMap(v => collectorIndexing(v)?.keys ?? []);
}

/** The logical ids a template value refers to with `Ref` (pseudo parameters excluded). */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.flatMap(refsIn);
  }
  if (value === null || typeof value !== 'object') {
    return [];
  }
  const ref = (value as any).Ref;
  if (typeof ref === 'string') {
    return ref.startsWith('AWS::') ? [] : [ref];
  }
  return Object.values(value).flatMap(refsIn);
}
