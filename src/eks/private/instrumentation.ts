import { Token } from 'aws-cdk-lib';
import { ADOT_AUTOINSTRUMENTATION_IMAGES } from '../../private/pinned';
import { EksInstrumentationLanguage } from '../eks-modes';

/** What the `Instrumentation` resource is rendered from. */
export interface InstrumentationSpec {
  readonly namespace: string;
  readonly name: string;
  /** The collector's OTLP/HTTP endpoint. */
  readonly endpoint: string;
  readonly samplingRatio: number;
  readonly images: { [language: string]: string | undefined };
}

/**
 * The OpenTelemetry Operator's `Instrumentation` (opentelemetry.io/v1alpha1): OTLP over HTTP to the collector,
 * W3C trace context, baggage and X-Ray propagation, a parent-based ratio sampler, and the pinned ADOT agent image per
 * language. Metrics and logs exporters are off: the collector has a traces pipeline only.
 * @see https://aws-otel.github.io/docs/getting-started/adot-eks-add-on/config-auto-instrumentation
 */
export function instrumentationManifest(spec: InstrumentationSpec): { [key: string]: any } {
  const languages: Record<string, unknown> = {};
  for (const language of Object.values(EksInstrumentationLanguage)) {
    languages[language] = { image: spec.images[language] ?? ADOT_AUTOINSTRUMENTATION_IMAGES[language] };
  }
  return {
    apiVersion: 'opentelemetry.io/v1alpha1',
    kind: 'Instrumentation',
    metadata: { name: spec.name, namespace: spec.namespace, labels: { 'app.kubernetes.io/managed-by': 'cdk-xray-constructs' } },
    spec: {
      exporter: { endpoint: spec.endpoint },
      propagators: ['tracecontext', 'baggage', 'xray'],
      sampler: spec.samplingRatio === 1
        ? { type: 'parentbased_always_on' }
        : { type: 'parentbased_traceidratio', argument: Token.isUnresolved(spec.samplingRatio) ? Token.asString(spec.samplingRatio) : String(spec.samplingRatio) },
      env: [
        { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'http/protobuf' },
        { name: 'OTEL_METRICS_EXPORTER', value: 'none' },
        { name: 'OTEL_LOGS_EXPORTER', value: 'none' },
      ],
      ...languages,
    },
  };
}
