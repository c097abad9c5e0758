import { Duration, Token } from 'aws-cdk-lib';
import { TailSamplingOptions } from './tail-sampling';
import { AnnotationPolicy } from '../policy/annotation-policy';
import { validateAnnotationKeys } from '../private/annotation-keys';
import { ErrorLocation, ProblemCollector, singleLinePrintableProblem } from '../private/errors';
import { ResourceDetection } from '../private/resource-detection';
import { goDuration, toYaml, YamlStringList } from '../private/yaml';

/**
 * Where the collector listens when nothing says otherwise: the loopback address, which every container of an awsvpc
 * (or host-mode) task shares, so nothing outside the task reaches the receivers or the sampling proxy (which signs
 * requests with the task role).
 */
const DEFAULT_LISTEN_ADDRESS = '127.0.0.1';

/** Request and response attributes that carry credentials or personal data and are removed by default. */
const SENSITIVE_ATTRIBUTES = [
  'http.request.header.authorization',
  'http.request.header.proxy_authorization',
  'http.request.header.cookie',
  'http.request.header.x_api_key',
  'http.response.header.set_cookie',
  'user.email',
  'enduser.id',
  // The AWS Distro for OpenTelemetry records the access key ID of the credentials on every AWS SDK span.
  'aws.auth.account.access_key',
];

/**
 * What the generated AWS Distro for OpenTelemetry collector configuration does.
 */
export interface AdotCollectorConfigOptions {
  /**
   * The annotation keys the services in the task record; the `awsxray` exporter indexes exactly these
   * (`indexed_attributes`, with `index_all_attributes: false`), everything else becomes unindexed metadata. A list
   * token (a `CommaDelimitedList` parameter's `valueAsList`) is written as it resolves at deploy time; its items are
   * not checked then, so they must be letters, digits and underscores.
   *
   * @default - none: no attribute is indexed
   */
  readonly annotationKeys?: string[];

  /**
   * The app's annotation policy: when given, the exporter indexes only the declared keys the policy allows (a denied,
   * undeclared or unbounded key stays unindexed metadata, so a mistake in code cannot leak into X-Ray's index).
   *
   * Keys known only at deploy time (tokens) are not indexed when a policy is given, since it cannot judge them.
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
   * `user.email`, `enduser.id`, and `aws.auth.account.access_key`, the access key ID the AWS Distro for OpenTelemetry
   * records on AWS SDK spans) before export.
   *
   * @default true
   */
  readonly removeSensitiveAttributes?: boolean;

  /**
   * More attribute keys to remove before export (any non-empty text without control characters).
   *
   * @default - none
   */
  readonly additionalSensitiveAttributes?: string[];

  /**
   * Add the platform's resource attributes to every span with the `resourcedetection` processor (after
   * `memory_limiter`, before `batch`).
   *
   * Attributes the SDKs set win (`override: false`), and the `env` detector reads the collector's
   * `OTEL_RESOURCE_ATTRIBUTES`. The detectors are the platform's:
   *
   * - the sidecar of an ECS task: the `env` and `ecs` detectors (`cloud.*`, the task's and cluster's `aws.ecs.*`),
   *   read from the task metadata endpoint; its `aws.log.*` are left out, as they name the sidecar's own logs;
   * - `EksCollector.manifests`: the `env`, `eks` and `ec2` detectors (`cloud.provider`, `cloud.platform: aws_eks`,
   *   `cloud.region`, `cloud.account.id`), without the node's own attributes (`host.*`, `cloud.availability_zone`),
   *   since pods on every node send their spans to the collector. The collector must reach the node's instance
   *   metadata service (IMDSv1, or IMDSv2 with a hop limit of 2, as on managed node groups); refused on a cluster
   *   whose pods all run on Fargate.
   *
   * A detector that fails stops the collector from starting. `render()` knows no platform and leaves it out.
   *
   * @default - true; false for `EksCollector.manifests` on a cluster whose pods all run on Fargate
   */
  readonly resourceDetection?: boolean;

  /**
   * How long the batch processor waits before sending.
   *
   * @default Duration.seconds(1)
   */
  readonly batchTimeout?: Duration;
}

/**
 * A configuration for the AWS Distro for OpenTelemetry collector, rendered from typed options: OTLP gRPC (4317) and
 * HTTP (4318) receivers, optionally the X-Ray UDP receiver (2000), `memory_limiter`, the platform's
 * `resourcedetection` (in an ECS task or on EKS), optional removal of sensitive attributes and tail sampling, `batch`,
 * the `awsxray` exporter indexing exactly the declared annotation keys, the `health_check` extension (13133) and a
 * proxy for X-Ray's sampling API on TCP 2000.
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
  public _render(where: ErrorLocation, annotationKeys: ReadonlyArray<readonly string[]>, xraySdkInTask: boolean = false, region?: string,
    listenAddress: string = DEFAULT_LISTEN_ADDRESS, resourceDetection?: ResourceDetection): string {
    this._validate(where);
    return toYaml(this._document(annotationKeys, xraySdkInTask, region, listenAddress, resourceDetection));
  }

  /**
   * Checks the options, naming `where` (the task definition that uses the configuration) in every problem. A task
   * definition calls it when tracing is enabled, so that rendering at synthesis (inside a token) never fails on them.
   * @internal
   */
  public _validate(where: ErrorLocation): void {
    validateConfig(where, this.options);
  }

  /**
   * Renders the configuration as YAML.
   *
   * @param region the AWS Region the exporter and the sampling proxy talk to; a task definition passes its stack's
   * Region (`AWS::Region` in an environment-agnostic stack)
   * @default - no region: the collector asks the environment (`AWS_REGION`) or the instance metadata
   * @param listenAddress the IPv4 address the receivers and the sampling proxy bind: `127.0.0.1` when the apps share the
   * collector's network namespace (awsvpc and host network modes, a Kubernetes pod's sidecar), `0.0.0.0` when they
   * reach it over a network (bridge mode, a collector shared by several pods). The health check always binds
   * 127.0.0.1: the container's own `/healthcheck` calls it.
   * @default '127.0.0.1'
   */
  public render(region?: string, listenAddress?: string): string {
    return this._render('AdotCollectorConfig', [], false, region, listenAddress ?? DEFAULT_LISTEN_ADDRESS);
  }

  /** @internal */
  public _document(extraAnnotationKeys: ReadonlyArray<readonly string[]>, xraySdkInTask: boolean = false, region?: string,
    listenAddress: string = DEFAULT_LISTEN_ADDRESS, resourceDetection?: ResourceDetection): Record<string, unknown> {
    const o = this.options;
    const withRegion = region !== undefined ? { region } : {};
    const keys = indexedKeys([o.annotationKeys ?? [], ...extraAnnotationKeys], o.annotationPolicy);
    const at = (port: number) => `${listenAddress}:${port}`;
    const receivers: Record<string, unknown> = {
      otlp: { protocols: { grpc: { endpoint: at(4317) }, http: { endpoint: at(4318) } } },
    };
    const extensions: Record<string, unknown> = { health_check: { endpoint: `${DEFAULT_LISTEN_ADDRESS}:13133` } };
    if (o.xraySdkReceiver || xraySdkInTask) {
      // The awsxray receiver also serves X-Ray's sampling API on TCP 2000 (proxy_server), for the SDKs' rule polling.
      // Only one of the two may serve TCP 2000: with both, the extension takes the port and the proxy fails silently.
      receivers.awsxray = { endpoint: at(2000), transport: 'udp', proxy_server: { endpoint: at(2000), ...withRegion } };
    } else {
      extensions.awsproxy = { endpoint: at(2000), ...withRegion };
    }
    const processors: Record<string, unknown> = {
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
    };
    const pipeline = ['memory_limiter'];
    if (resourceDetection !== undefined && resourceDetection.detectors.length > 0) {
      // Resource attributes of the platform (cloud.*), added to every span before batching. A detector that fails
      // stops the collector from starting, so the platform lists only its own detectors; attributes the SDKs set win.
      processors.resourcedetection = {
        detectors: [...resourceDetection.detectors],
        timeout: resourceDetection.timeout,
        override: false,
        ...resourceDetection.detectorSettings,
      };
      pipeline.push('resourcedetection');
    }
    const sensitive = [...((o.removeSensitiveAttributes ?? true) ? SENSITIVE_ATTRIBUTES : []), ...(o.additionalSensitiveAttributes ?? [])];
    if (sensitive.length > 0) {
      processors['attributes/sensitive'] = { actions: unique(sensitive).map(key => ({ key, action: 'delete' })) };
      pipeline.push('attributes/sensitive');
    }
    if (o.tailSampling !== undefined) {
      processors.tail_sampling = {
        decision_wait: goDuration(o.tailSampling.decisionWait ?? Duration.seconds(10)),
        num_traces: o.tailSampling.numTraces ?? 50000,
        policies: o.tailSampling.policies.map(p => ({ name: p.name, ...p._body() })),
      };
      pipeline.push('tail_sampling');
    }
    processors['batch/traces'] = { timeout: batchTimeout(o.batchTimeout ?? Duration.seconds(1)), send_batch_size: 50 };
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

/** The batch timeout in milliseconds, as the default configuration has always written it (`1000ms`). */
function batchTimeout(d: Duration): string | undefined {
  return d.isUnresolved() ? goDuration(d) : `${d.toMilliseconds({ integral: false })}ms`;
}

/**
 * The keys the exporter indexes, from lists that are literal or list tokens: literal keys once each (string tokens
 * among them), then each list token as it resolves. With a policy, only literal keys it allows.
 */
function indexedKeys(lists: ReadonlyArray<readonly string[]>, policy: AnnotationPolicy | undefined): YamlStringList {
  const literals = unique(lists.filter(l => !Token.isUnresolved(l)).flatMap(l => [...l]));
  const deployTime = lists.filter(l => Token.isUnresolved(l));
  if (policy === undefined) {
    return new YamlStringList(literals, deployTime);
  }
  return new YamlStringList(literals.filter(k => !Token.isUnresolved(k) && policy.isAllowed(k)), []);
}

function validateConfig(where: ErrorLocation, o: AdotCollectorConfigOptions): void {
  const problems = new ProblemCollector(where);
  validateAnnotationKeys(problems, 'annotationKeys', o.annotationKeys);
  const extra = o.additionalSensitiveAttributes;
  if (extra !== undefined && !Token.isUnresolved(extra)) {
    extra.forEach((key, i) => {
      if (Token.isUnresolved(key)) {
        return;
      }
      // A line break would end the YAML scalar, an unpaired surrogate cannot be written to YAML at all.
      const problem = typeof key !== 'string' ? 'must be a string' : key.length === 0 ? 'must be an attribute key: not empty' : singleLinePrintableProblem(key);
      if (problem !== undefined) {
        problems.add(`additionalSensitiveAttributes[${i}]`, problem, key, 'List the attribute keys, for example "http.request.header.x_session".');
      }
    });
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
      const ms = p._thresholdMs;
      if (p._threshold !== undefined && ms === undefined) {
        problems.add('tailSampling.policies', `${p.description} needs a token threshold in milliseconds or seconds`, p._threshold.unitLabel(),
          'Use Duration.millis(token) or Duration.seconds(token): the collector reads milliseconds, and CloudFormation cannot convert other units.');
      }
      if (typeof ms === 'number' && !(Number.isInteger(ms) && ms > 0)) {
        problems.add('tailSampling.policies', `${p.description} needs a whole number of milliseconds above 0`, ms, 'Use Duration.millis(n) or Duration.seconds(n).');
      }
      const fraction = p._rate?.fraction;
      if (fraction !== undefined && !Token.isUnresolved(fraction) && !(fraction >= 0 && fraction <= 1)) {
        problems.add('tailSampling.policies', `${p.description} needs a rate between 0 and 1`, fraction, 'Pass SamplingRate.percent(p) with p from 0 to 100.');
      }
    }
    const wait = tail.decisionWait;
    if (wait !== undefined && wait.isUnresolved() && goDuration(wait) === undefined) {
      problems.add('tailSampling.decisionWait', 'cannot be a token in days', wait.unitLabel(), 'Use Duration.hours(token), minutes, seconds or millis.');
    } else if (wait !== undefined && !wait.isUnresolved() && !(wait.toMilliseconds({ integral: false }) >= 1000)) {
      problems.add('tailSampling.decisionWait', 'must be at least 1 second', wait.toHumanString(), 'Spans of one trace arrive over several seconds; 10 seconds suits most services.');
    } else if (wait !== undefined && !wait.isUnresolved() && !Number.isInteger(wait.toMilliseconds({ integral: false }))) {
      problems.add('tailSampling.decisionWait', 'must be a whole number of milliseconds', wait.toHumanString(), 'Use Duration.millis(n) or Duration.seconds(n).');
    }
    if (tail.numTraces !== undefined && !Token.isUnresolved(tail.numTraces) && !(Number.isInteger(tail.numTraces) && tail.numTraces > 0)) {
      problems.add('tailSampling.numTraces', 'must be a whole number above 0', tail.numTraces, 'Size it to the traces started during decisionWait, with room to spare.');
    }
  }
  const batch = o.batchTimeout;
  if (batch !== undefined && batch.isUnresolved() && goDuration(batch) === undefined) {
    problems.add('batchTimeout', 'cannot be a token in days', batch.unitLabel(), 'Use Duration.millis(token) or Duration.seconds(token).');
  } else if (batch !== undefined && !batch.isUnresolved() && !(batch.toMilliseconds({ integral: false }) > 0)) {
    problems.add('batchTimeout', 'must be longer than 0', batch.toHumanString(), 'Use Duration.seconds(1).');
  }
  problems.throwIfAny();
}
