import { Duration, Token } from 'aws-cdk-lib';
import { TailSamplingOptions } from './tail-sampling';
import { AnnotationPolicy } from '../policy/annotation-policy';
import { validateAnnotationKeys } from '../private/annotation-keys';
import { ErrorLocation, ProblemCollector } from '../private/errors';
import { toYaml } from '../private/yaml';

/** Request and response attributes that carry credentials or personal data and are removed by default. */
const SENSITIVE_ATTRIBUTES = [
  'http.request.header.authorization',
  'http.request.header.proxy_authorization',
  'http.request.header.cookie',
  'http.request.header.x_api_key',
  'http.response.header.set_cookie',
  'user.email',
  'enduser.id',
];

/**
 * What the generated AWS Distro for OpenTelemetry collector configuration does.
 */
export interface AdotCollectorConfigOptions {
  /**
   * The annotation keys the services in the task record; the `awsxray` exporter indexes exactly these
   * (`indexed_attributes`, with `index_all_attributes: false`), everything else becomes unindexed metadata.
   *
   * @default - none: no attribute is indexed
   */
  readonly annotationKeys?: string[];

  /**
   * The app's annotation policy: when given, the exporter indexes only the declared keys the policy allows (a denied,
   * undeclared or unbounded key stays unindexed metadata, so a mistake in code cannot leak into X-Ray's index).
   *
   * @default - every declared key is indexed (XRayChecks still reports keys the policy would refuse)
   */
  readonly annotationPolicy?: AnnotationPolicy;

  /**
   * Receive X-Ray SDK segments on UDP 2000 (the `awsxray` receiver), for apps that still use an X-Ray SDK.
   *
   * @default false
   */
  readonly xraySdkReceiver?: boolean;

  /**
   * Tail sampling in the collector.
   *
   * @default - none: the SDKs sample at the head with X-Ray's centralized rules
   */
  readonly tailSampling?: TailSamplingOptions;

  /**
   * Remove attributes that carry credentials or personal data (authorization, cookie, set-cookie and API-key headers,
   * `user.email`, `enduser.id`) before export.
   *
   * @default true
   */
  readonly removeSensitiveAttributes?: boolean;

  /**
   * More attribute keys to remove before export.
   *
   * @default - none
   */
  readonly additionalSensitiveAttributes?: string[];

  /**
   * How long the batch processor waits before sending.
   *
   * @default Duration.seconds(1)
   */
  readonly batchTimeout?: Duration;
}

/**
 * A configuration for the AWS Distro for OpenTelemetry collector, rendered from typed options: OTLP gRPC (4317) and
 * HTTP (4318) receivers, optionally the X-Ray UDP receiver (2000), `memory_limiter`, optional removal of sensitive
 * attributes and tail sampling, `batch`, the `awsxray` exporter indexing exactly the declared annotation keys, the
 * `health_check` extension (13133) and a proxy for X-Ray's sampling API on TCP 2000.
 */
export class AdotCollectorConfig {
  /** The options the configuration was made from. */
  public readonly options: AdotCollectorConfigOptions;

  constructor(options: AdotCollectorConfigOptions = {}) {
    this.options = options;
  }

  /** Whether tail sampling decides which traces are kept. */
  public get tailSamplingEnabled(): boolean {
    return this.options.tailSampling !== undefined;
  }

  /**
   * Checks the options and returns the rendered YAML; `annotationKeys` are the keys declared elsewhere in the task,
   * merged with the configuration's own, and `xraySdkInTask` turns on the X-Ray receiver for X-Ray SDK containers.
   * @internal
   */
  public _render(where: ErrorLocation, annotationKeys: string[], xraySdkInTask: boolean = false, region?: string): string {
    validateConfig(where, this.options);
    return toYaml(this._document(annotationKeys, xraySdkInTask, region));
  }

  /**
   * Renders the configuration as YAML.
   *
   * @param region the AWS Region the exporter and the sampling proxy talk to; a task definition passes its stack's
   * Region (`AWS::Region` in an environment-agnostic stack)
   * @default - no region: the collector asks the environment (`AWS_REGION`) or the instance metadata
   */
  public render(region?: string): string {
    return this._render('AdotCollectorConfig', [], false, region);
  }

  /** @internal */
  public _document(extraAnnotationKeys: string[], xraySdkInTask: boolean = false, region?: string): Record<string, unknown> {
    const o = this.options;
    const withRegion = region !== undefined ? { region } : {};
    const declared = unique([...(o.annotationKeys ?? []), ...extraAnnotationKeys]);
    const keys = o.annotationPolicy === undefined ? declared : declared.filter(k => o.annotationPolicy!.isAllowed(k));
    const receivers: Record<string, unknown> = {
      otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } },
    };
    const extensions: Record<string, unknown> = { health_check: { endpoint: '0.0.0.0:13133' } };
    if (o.xraySdkReceiver || xraySdkInTask) {
      // The awsxray receiver also serves X-Ray's sampling API on TCP 2000 (proxy_server), for the SDKs' rule polling.
      // Only one of the two may serve TCP 2000: with both, the extension takes the port and the proxy fails silently.
      receivers.awsxray = { endpoint: '0.0.0.0:2000', transport: 'udp', proxy_server: { endpoint: '0.0.0.0:2000', ...withRegion } };
    } else {
      extensions.awsproxy = { endpoint: '0.0.0.0:2000', ...withRegion };
    }
    const processors: Record<string, unknown> = {
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
    };
    const pipeline = ['memory_limiter'];
    const sensitive = [...((o.removeSensitiveAttributes ?? true) ? SENSITIVE_ATTRIBUTES : []), ...(o.additionalSensitiveAttributes ?? [])];
    if (sensitive.length > 0) {
      processors['attributes/sensitive'] = { actions: unique(sensitive).map(key => ({ key, action: 'delete' })) };
      pipeline.push('attributes/sensitive');
    }
    if (o.tailSampling !== undefined) {
      processors.tail_sampling = {
        decision_wait: `${(o.tailSampling.decisionWait ?? Duration.seconds(10)).toSeconds()}s`,
        num_traces: o.tailSampling.numTraces ?? 50000,
        policies: o.tailSampling.policies.map(p => ({ name: p.name, ...p._body })),
      };
      pipeline.push('tail_sampling');
    }
    processors['batch/traces'] = { timeout: `${(o.batchTimeout ?? Duration.seconds(1)).toMilliseconds()}ms`, send_batch_size: 50 };
    pipeline.push('batch/traces');
    return {
      extensions,
      receivers,
      processors,
      exporters: { awsxray: { ...withRegion, index_all_attributes: false, indexed_attributes: keys } },
      service: {
        extensions: Object.keys(extensions),
        pipelines: { traces: { receivers: Object.keys(receivers), processors: pipeline, exporters: ['awsxray'] } },
      },
    };
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function validateConfig(where: ErrorLocation, o: AdotCollectorConfigOptions): void {
  const problems = new ProblemCollector(where);
  validateAnnotationKeys(problems, 'annotationKeys', o.annotationKeys);
  for (const key of o.additionalSensitiveAttributes ?? []) {
    if (Token.isUnresolved(key) || key.length === 0) {
      problems.add('additionalSensitiveAttributes', 'must hold attribute names known at synth time', key, 'List the attribute keys, for example "http.request.header.x_session".');
    }
  }
  const tail = o.tailSampling;
  if (tail !== undefined) {
    if (tail.policies.length === 0) {
      problems.add('tailSampling.policies', 'must hold at least one policy', [], 'Add TailSamplingPolicy.keepErrors(), keepSlowerThan(d) or baseline(rate).');
    }
    const names = tail.policies.map(p => p.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) {
      problems.add('tailSampling.policies', 'holds the same kind of policy twice', dup, 'Keep one policy of each kind.');
    }
    for (const p of tail.policies) {
      if (p._thresholdMs !== undefined && !Token.isUnresolved(p._thresholdMs) && !(Number.isInteger(p._thresholdMs) && p._thresholdMs > 0)) {
        problems.add('tailSampling.policies', `${p.description} needs a whole number of milliseconds above 0`, p._thresholdMs, 'Use Duration.millis(n) or Duration.seconds(n).');
      }
      const fraction = p._rate?.fraction;
      if (fraction !== undefined && !Token.isUnresolved(fraction) && !(fraction >= 0 && fraction <= 1)) {
        problems.add('tailSampling.policies', `${p.description} needs a rate between 0 and 1`, fraction, 'Pass SamplingRate.percent(p) with p from 0 to 100.');
      }
    }
    const wait = tail.decisionWait?.toSeconds({ integral: false });
    if (wait !== undefined && !Token.isUnresolved(wait) && !(wait >= 1)) {
      problems.add('tailSampling.decisionWait', 'must be at least 1 second', tail.decisionWait!.toHumanString(), 'Spans of one trace arrive over several seconds; 10 seconds suits most services.');
    }
    if (tail.numTraces !== undefined && !Token.isUnresolved(tail.numTraces) && !(Number.isInteger(tail.numTraces) && tail.numTraces > 0)) {
      problems.add('tailSampling.numTraces', 'must be a whole number above 0', tail.numTraces, 'Size it to the traces started during decisionWait, with room to spare.');
    }
  }
  const batch = o.batchTimeout?.toMilliseconds({ integral: false });
  if (batch !== undefined && !Token.isUnresolved(batch) && !(batch > 0)) {
    problems.add('batchTimeout', 'must be longer than 0', o.batchTimeout!.toHumanString(), 'Use Duration.seconds(1).');
  }
  problems.throwIfAny();
}
