import { collectorIndexing } from './collector-config';
import { containerEnvironment, KUBERNETES_MANIFEST_TYPE, kubernetesObjects, podContainers } from './eks';
import { TemplateModel, TemplateResource } from './model';
import { AnnotationKeySource, AnnotationKeyUsage } from '../policy/annotation-policy';
import { ANNOTATION_KEYS_ENV } from '../private/annotation-keys';
import { TRACING_METADATA_KEY } from '../private/metadata';
import { FilterExpression } from '../xray/filter-expression';

/**
 * The annotation keys an app declares or references, read from its templates, by where they come from:
 * - a Lambda function's `XRAY_ANNOTATION_KEYS` environment variable, and the keys its instrumentation records by
 *   itself (`recordedAnnotations` of the function's tracing metadata: the Powertools Tracer's `ColdStart` and `Service`);
 * - an ECS task definition's containers (their `XRAY_ANNOTATION_KEYS`);
 * - the collector a task runs: the `indexed_attributes` of its configuration (`AOT_CONFIG_CONTENT`, inline or read from
 *   an SSM parameter of the same stack, as `EcsTracing` writes it), so keys declared only on an `AdotCollectorConfig`
 *   count too;
 * - the Kubernetes objects applied to an EKS cluster (`Custom::AWSCDK-EKS-KubernetesResource`): the
 *   `XRAY_ANNOTATION_KEYS` of their containers, and the `indexed_attributes` of collector configurations in ConfigMaps;
 * - an X-Ray group's filter expression (`annotation.<key>`): read, not written.
 */

/** The variable (or secret) the ADOT collector reads its configuration from. */
export const COLLECTOR_CONFIG_VARIABLE = 'AOT_CONFIG_CONTENT';

/** The annotation keys of the app. */
export interface AnnotationKeyFacts {
  /** Every key declared or referenced, once per resource and source; `source` is the resource's construct path (else its key). */
  readonly usages: AnnotationKeyUsage[];
  /** The keys each resource declares or references, by resource key (`<stackId>/<logicalId>`). */
  readonly keysByResource: ReadonlyMap<string, readonly string[]>;
}

/** The keys of a comma-separated list (`XRAY_ANNOTATION_KEYS`); nothing for a value that is no literal string. */
export function splitKeys(value: unknown): string[] {
  return typeof value === 'string' ? value.split(',').map(k => k.trim()).filter(k => k.length > 0) : [];
}

/** Reads the annotation keys of every resource of the model. */
export function readAnnotationKeys(model: TemplateModel): AnnotationKeyFacts {
  const usages: AnnotationKeyUsage[] = [];
  const keysByResource = new Map<string, string[]>();
  const add = (r: TemplateResource, keys: string[], kind: AnnotationKeySource, by?: string) => {
    if (keys.length === 0) {
      return;
    }
    const known = keysByResource.get(r.key) ?? [];
    const added = [...new Set(keys)].filter(k => !known.includes(k));
    keysByResource.set(r.key, [...known, ...added]);
    for (const key of added) {
      usages.push({ key, source: by !== undefined ? `${r.path ?? r.key} (recorded by ${by})` : r.path ?? r.key, kind });
    }
  };
  for (const r of model.ofType('AWS::Lambda::Function')) {
    add(r, lambdaAnnotationKeys(r), AnnotationKeySource.LAMBDA_FUNCTION);
    const recorded = recordedAnnotationKeys(r);
    if (recorded !== undefined) {
      add(r, recorded.keys, AnnotationKeySource.INSTRUMENTATION, recorded.by);
    }
  }
  for (const r of model.ofType('AWS::ECS::TaskDefinition')) {
    add(r, taskAnnotationKeys(r), AnnotationKeySource.ECS_TASK);
    add(r, collectorAnnotationKeys(model, r), AnnotationKeySource.COLLECTOR);
  }
  for (const r of model.ofType(KUBERNETES_MANIFEST_TYPE)) {
    add(r, workloadAnnotationKeys(r), AnnotationKeySource.EKS_WORKLOAD);
    add(r, configMapAnnotationKeys(r), AnnotationKeySource.COLLECTOR);
  }
  for (const r of model.ofType('AWS::XRay::Group')) {
    add(r, groupFilterKeys(r), AnnotationKeySource.GROUP_FILTER);
  }
  return { usages, keysByResource };
}

/** The keys a Lambda function declares in `XRAY_ANNOTATION_KEYS`. */
export function lambdaAnnotationKeys(r: TemplateResource): string[] {
  return splitKeys(r.properties.Environment?.Variables?.[ANNOTATION_KEYS_ENV]);
}

/**
 * The keys a function's instrumentation records by itself, from the function's tracing metadata
 * (`recordedAnnotations: { by, keys }`, written by the Lambda enable-path), or undefined when it records none.
 */
export function recordedAnnotationKeys(r: TemplateResource): { by: string; keys: string[] } | undefined {
  const recorded = r.metadata[TRACING_METADATA_KEY]?.recordedAnnotations;
  if (recorded === null || typeof recorded !== 'object' || !Array.isArray(recorded.keys)) {
    return undefined;
  }
  const keys = recorded.keys.filter((k: unknown): k is string => typeof k === 'string');
  return { by: typeof recorded.by === 'string' ? recorded.by : 'the instrumentation', keys };
}

/** The keys the containers of an ECS task definition declare in `XRAY_ANNOTATION_KEYS`. */
export function taskAnnotationKeys(r: TemplateResource): string[] {
  return containersOf(r).flatMap(c => asArray(c?.Environment)
    .filter((e: any) => e?.Name === ANNOTATION_KEYS_ENV).flatMap((e: any) => splitKeys(e.Value)));
}

/**
 * The keys the collector of an ECS task definition indexes: `AOT_CONFIG_CONTENT` as a variable holding the YAML, or as
 * a secret read from an SSM parameter of the same stack (`ecs.Secret.fromSsmParameter`, as `EcsTracing` does).
 */
export function collectorAnnotationKeys(model: TemplateModel, task: TemplateResource): string[] {
  return containersOf(task).flatMap(container => {
    const inline = asArray(container?.Environment).find((e: any) => e?.Name === COLLECTOR_CONFIG_VARIABLE)?.Value;
    const secret = asArray(container?.Secrets).find((e: any) => e?.Name === COLLECTOR_CONFIG_VARIABLE)?.ValueFrom;
    const values: unknown[] = inline !== undefined ? [inline] : [];
    for (const logicalId of refsIn(secret)) {
      const parameter = model.resourceIn(task.stackId, logicalId);
      if (parameter?.type === 'AWS::SSM::Parameter') {
        values.push(parameter.properties.Value);
      }
    }
    return values.flatMap(v => collectorIndexing(v)?.keys ?? []);
  });
}

/** The keys the containers of the Kubernetes workloads of a manifest resource declare in `XRAY_ANNOTATION_KEYS`. */
export function workloadAnnotationKeys(r: TemplateResource): string[] {
  return kubernetesObjects(r).flatMap(o => podContainers(o) ?? []).flatMap(c => splitKeys(containerEnvironment(c).get(ANNOTATION_KEYS_ENV)));
}

/** The keys the collector configurations held in the ConfigMaps of a manifest resource index. */
export function configMapAnnotationKeys(r: TemplateResource): string[] {
  return kubernetesObjects(r).filter(o => o.kind === 'ConfigMap' && o.data !== null && typeof o.data === 'object')
    .flatMap(o => Object.values<unknown>(o.data)).flatMap(v => collectorIndexing(v)?.keys ?? []);
}

/** The keys a group's filter expression references (`annotation.<key>`). */
export function groupFilterKeys(r: TemplateResource): string[] {
  const expression = r.properties.FilterExpression;
  return typeof expression === 'string' ? FilterExpression.parse(expression).annotationKeys : [];
}

function containersOf(r: TemplateResource): any[] {
  return asArray(r.properties.ContainerDefinitions);
}

function asArray(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
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
