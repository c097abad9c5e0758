import { Duration, Token } from 'aws-cdk-lib';
import { SamplingRate } from '../xray/sampling-rate';

/**
 * One policy of the collector's tail-sampling processor. A trace is kept when any policy keeps it.
 */
export class TailSamplingPolicy {
  /** Keep every trace that has a span with an error status. */
  public static keepErrors(): TailSamplingPolicy {
    return new TailSamplingPolicy('keep-errors', { type: 'status_code', status_code: { status_codes: ['ERROR'] } }, 'keepErrors()');
  }

  /** Keep every trace that lasts longer than `threshold` (whole milliseconds, more than 0). */
  public static keepSlowerThan(threshold: Duration): TailSamplingPolicy {
    const ms = threshold.toMilliseconds({ integral: false });
    return new TailSamplingPolicy('keep-slow', { type: 'latency', latency: { threshold_ms: ms } }, `keepSlowerThan(${threshold.toHumanString()})`, ms);
  }

  /** Keep this share of all other traces, chosen by trace ID (so every service keeps the same traces). */
  public static baseline(rate: SamplingRate): TailSamplingPolicy {
    const percent = Token.isUnresolved(rate.fraction) ? rate.fraction : rate.fraction * 100;
    return new TailSamplingPolicy('baseline', { type: 'probabilistic', probabilistic: { sampling_percentage: percent } }, `baseline(${rate.description})`,
      undefined, rate);
  }

  /** The policy name in the collector configuration. */
  public readonly name: string;

  /** How the policy was written, for messages. */
  public readonly description: string;

  /** @internal */
  public readonly _body: Record<string, unknown>;

  /** @internal */
  public readonly _thresholdMs?: number;

  /** @internal */
  public readonly _rate?: SamplingRate;

  private constructor(name: string, body: Record<string, unknown>, description: string, thresholdMs?: number, rate?: SamplingRate) {
    this.name = name;
    this._body = body;
    this.description = description;
    this._thresholdMs = thresholdMs;
    this._rate = rate;
  }
}

/**
 * Tail sampling in the collector: the decision is made once a whole trace has arrived, so errors and slow requests
 * can be kept while the rest is sampled down. Every SDK in the task must then send every span to the collector; the
 * constructs set the SDKs' sampler to `always_on` for that.
 */
export interface TailSamplingOptions {
  /**
   * The policies; a trace is kept when any of them keeps it.
   */
  readonly policies: TailSamplingPolicy[];

  /**
   * How long the collector waits after a trace's first span before deciding (1 second or more).
   *
   * @default Duration.seconds(10)
   */
  readonly decisionWait?: Duration;

  /**
   * How many traces the collector holds in memory while it waits (more than 0).
   *
   * @default 50000
   */
  readonly numTraces?: number;
}
