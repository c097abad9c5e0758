import { adotSidecar, applicationSignalsSidecar, daemonSidecar, directToXRay } from './private/sidecar';
import { SidecarSpec } from './private/sidecar-spec';
import { AdotCollectorOptions, ApplicationSignalsOptions, DirectToXRayOptions, XRayDaemonOptions } from './trace-collector-options';

/**
 * Where a task's traces go: a sidecar that receives them and sends them on (the ADOT collector, the X-Ray daemon, the
 * CloudWatch agent of Application Signals), or, with `directToXRay()`, no sidecar at all.
 *
 * A sidecar listens on the narrowest address the task's network mode allows: `127.0.0.1` in `awsvpc` and `host` mode,
 * where the app containers share its network namespace, and `0.0.0.0` in `bridge` mode, where they reach it through a
 * link (the sidecar maps no host port there, but other containers on the instance's bridge network can reach it). Its
 * X-Ray sampling proxy (TCP 2000) signs what it forwards with the task role, so it is kept off every interface it does
 * not need. The CloudWatch agent is the exception: its Application Signals receivers always listen on `0.0.0.0`, so the
 * task's security group must not admit 2000, 4315 or 4316.
 */
export class TraceCollector {
  /**
   * The AWS Distro for OpenTelemetry collector (recommended): apps send OTLP to it, it exports to X-Ray, proxies
   * X-Ray's sampling API and can tail-sample.
   */
  public static adot(options: AdotCollectorOptions = {}): TraceCollector {
    return new TraceCollector(adotSidecar(options ?? {}));
  }

  /**
   * The AWS X-Ray daemon, for apps that still use an X-Ray SDK. It is in maintenance since 2026-02-25 and loses support
   * on 2027-02-25: a warning says how to move to `adot()`.
   */
  public static xrayDaemon(options: XRayDaemonOptions = {}): TraceCollector {
    return new TraceCollector(daemonSidecar(options ?? {}));
  }

  /**
   * CloudWatch Application Signals with the sidecar strategy AWS documents for ECS: the CloudWatch agent (pinned image,
   * `cloudwatch-agent`) with its Application Signals configuration receives the ADOT SDKs' spans and metrics, sends the
   * spans to X-Ray and the metrics to the `/aws/application-signals/data` log group, and proxies X-Ray's sampling
   * rules. Every OpenTelemetry app container of the task gets `OTEL_AWS_APPLICATION_SIGNALS_ENABLED=true` and the
   * agent's endpoints, and starts after the agent.
   *
   * AWS supports this strategy in the `awsvpc` network mode only (Fargate always uses it); other modes are refused.
   * The apps must use an AWS Distro for OpenTelemetry SDK or agent (`ContainerInstrumentation.openTelemetry()`); X-Ray
   * SDK containers are refused. Application Signals must be turned on in the account and Region once
   * (`ApplicationSignalsDiscovery`, or the console).
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Application-Signals-ECS-Sidecar.html
   */
  public static applicationSignals(options: ApplicationSignalsOptions = {}): TraceCollector {
    return new TraceCollector(applicationSignalsSidecar(options ?? {}));
  }

  /**
   * No sidecar: the app containers' AWS Distro for OpenTelemetry SDKs export spans straight to the X-Ray OTLP endpoint
   * (`https://xray.<region>.amazonaws.com/v1/traces`, HTTP/protobuf), which they sign with SigV4 and the task role.
   * One container less per task; the price is a fixed head sampler (`samplingRatio`) instead of X-Ray's sampling rules,
   * no tail sampling, and no X-Ray SDK containers (refused).
   *
   * The endpoint takes spans only when CloudWatch Transaction Search is turned on in the account and Region
   * (`TransactionSearch`, or the console); the checks fail the synthesis of an app that has none. The China Regions are
   * refused (the ADOT SDKs sign only endpoints that end in `amazonaws.com`).
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-OTLP-UsingADOT.html
   */
  public static directToXRay(options: DirectToXRayOptions = {}): TraceCollector {
    return new TraceCollector(directToXRay(options ?? {}));
  }

  private readonly spec: SidecarSpec;

  private constructor(spec: SidecarSpec) {
    this.spec = spec;
  }

  /**
   * How it is written in code: `TraceCollector.adot()`, `TraceCollector.xrayDaemon()`,
   * `TraceCollector.applicationSignals()` or `TraceCollector.directToXRay()`.
   */
  public toString(): string {
    return this.spec.name;
  }

  /**
   * What this kind of collector is and does: its options with their defaults, how it is added to a task, how apps
   * depend on it.
   * @internal
   */
  public _bind(): SidecarSpec {
    return this.spec;
  }

  /**
   * The name of the sidecar container (`otel-collector`, `xray-daemon`, `cloudwatch-agent`); an empty string for
   * `directToXRay()`, which adds none.
   */
  public get containerName(): string {
    return this.spec.containerName;
  }
}
