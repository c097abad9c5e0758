import { AnnotationFinding, AnnotationKeyUsage, AnnotationPolicy } from '../policy/annotation-policy';
import { AnnotationKeyFacts, readAnnotationKeys } from '../template/annotation-keys';
import { GroupFact, readTemplateFacts, SamplingRuleFact } from '../template/facts';
import { TemplateModel } from '../template/model';
import { TelemetryEmitter, telemetryEmitters } from '../template/signals';

/** What the app-wide rules need from the whole app, read once per validation run from the template model. */
export interface AppFacts {
  /** Every annotation key declared or referenced, with where. */
  readonly usages: readonly AnnotationKeyUsage[];
  /** The keys each resource declares or references, by resource key (`<stackId>/<logicalId>`). */
  readonly keysByResource: AnnotationKeyFacts['keysByResource'];
  /** The sampling rules of the app, in model order. */
  readonly samplingRules: readonly SamplingRuleFact[];
  /** The same, by resource key. */
  readonly samplingRuleByResource: ReadonlyMap<string, SamplingRuleFact>;
  readonly groups: readonly GroupFact[];
  /** The annotation policy's findings over `usages`, evaluated once per run. */
  readonly policyFindings: readonly AnnotationFinding[];
  /** The functions, containers and Kubernetes objects that export straight to X-Ray or have Application Signals on. */
  readonly emitters: readonly TelemetryEmitter[];
  /** The same, by resource key. */
  readonly emittersByResource: ReadonlyMap<string, readonly TelemetryEmitter[]>;
}

/** Reads the app-wide facts of a model and evaluates the annotation policy over its keys. */
export function collectAppFacts(model: TemplateModel, policy: AnnotationPolicy): AppFacts {
  const keys = readAnnotationKeys(model);
  const facts = readTemplateFacts(model);
  const emitters = telemetryEmitters(model).filter(e => e.directExport || e.applicationSignals);
  const emittersByResource = new Map<string, TelemetryEmitter[]>();
  for (const e of emitters) {
    emittersByResource.set(e.resource.key, [...emittersByResource.get(e.resource.key) ?? [], e]);
  }
  return {
    usages: keys.usages,
    keysByResource: keys.keysByResource,
    samplingRules: facts.samplingRules,
    samplingRuleByResource: new Map(facts.samplingRules.map(r => [`${r.stackId}/${r.logicalId}`, r])),
    groups: facts.groups,
    policyFindings: policy.evaluate(keys.usages),
    emitters,
    emittersByResource,
  };
}
