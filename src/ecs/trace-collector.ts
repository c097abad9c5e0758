import { adotSidecar, daemonSidecar } from './private/sidecar';
import { SidecarSpec } from './private/sidecar-spec';
import { AdotCollectorOptions, XRayDaemonOptions } from './trace-collector-options';

/**
 * The sidecar that receives the task's traces and sends them to X-Ray.
 *
 * It listens on the narrowest address the task's network mode allows: `127.0.0.1` in `awsvpc` and `host` mode, where
 * the app containers share its network namespace, and `0.0.0.0` in `bridge` mode, where they reach it through a link
 * (the sidecar maps no host port there, but other containers on the instance's bridge network can reach it). Its
 * X-Ray sampling proxy (TCP 2000) signs what it forwards with the task role, so it is kept off every interface it
 * does not need.
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

  private readonly spec: SidecarSpec;

  private constructor(spec: SidecarSpec) {
    this.spec = spec;
  }

  /** How it is written in code: `TraceCollector.adot()` or `TraceCollector.xrayDaemon()`. */
  public toString(): string {
    return this.spec.name;
  }

  /**
   * What this kind of sidecar is and does: its options with their defaults, how it is added to a task, how apps
   * depend on it.
   * @internal
   */
  public _bind(): SidecarSpec {
    return this.spec;
  }

  /** The name of the sidecar container. */
  public get containerName(): string {
    return this.spec.containerName;
  }
}
