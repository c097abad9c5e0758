import { Duration, Token, Tokenization } from 'aws-cdk-lib';
import { tokenAmount, YamlRaw } from '../private/yaml';
import { SamplingRate } from '../xray/sampling-rate';

/**
 * One policy of the collector's tail-sampling processor. A trace is kept when any policy keeps it.
 */
export class TailSamplingPolicy {
  /** Keep every trace that has a span with an error status. */
  public static keepErrors(): TailSamplingPolicy {
    return new TailSamplingPolicy('keep-errors', 'keepErrors()');
  }

  /**
   * Keep every trace that lasts longer than `threshold` (whole milliseconds, more than 0). A token threshold must be
   * given in `Duration.millis(...)` or `Duration.seconds(...)`.
   */
  public static keepSlowerThan(threshold: Duration): TailSamplingPolicy {
    return new TailSamplingPolicy('keep-slow', `keepSlowerThan(${threshold.isUnresolved() ? '<token>' : threshold.toHumanString()})`, threshold);
  }

  /**
   * Keep this share of all other traces, chosen by trace ID (so every service keeps the same traces). A token rate
   * (`SamplingRate.ratio(token)`) must resolve to a plain decimal such as `0.05`.
   */
  public static baseline(rate: SamplingRate): TailSamplingPolicy {
    return new TailSamplingPolicy('baseline', `baseline(${rate.description})`, undefined, rate);
  }

  /** The policy name in the collector configuration. */
  public readonly name: string;

  /** How the policy was written, for messages. */
  public readonly description: string;

  /** @internal */
  public readonly _threshold?: Duration;

  /** @internal */
  public readonly _rate?: SamplingRate;

  private constructor(name: string, description: string, threshold?: Duration, rate?: SamplingRate) {
    this.name = name;
    this.description = description;
    this._threshold = threshold;
    this._rate = rate;
  }

  /**
   * The latency threshold in milliseconds: a number, or a YAML number built from a token (`<seconds>e3`), or undefined
   * when the token's unit cannot be converted at deploy time.
   * @internal
   */
  public get _thresholdMs(): number | YamlRaw | undefined {
    const t = this._threshold;
    if (t === undefined) {
      return undefined;
    }
    if (!t.isUnresolved()) {
      return t.toMilliseconds({ integral: false });
    }
    // CloudFormation cannot multiply: a token in seconds becomes a YAML number in exponent form (2e3 is 2000).
    const millis = tokenAmount(t, 'millis');
    const seconds = tokenAmount(t, 'seconds');
    return millis !== undefined ? new YamlRaw(millis) : seconds !== undefined ? new YamlRaw(`${seconds}e3`) : undefined;
  }

  /**
   * The policy's body in the collector configuration.
   * @internal
   */
  public _body(): Record<string, unknown> {
    if (this._threshold !== undefined) {
      return { type: 'latency', latency: { threshold_ms: this._thresholdMs } };
    }
    if (this._rate !== undefined) {
      const fraction = this._rate.fraction;
      // The processor takes a percentage; a token ratio is scaled by the exponent (0.05e2 is 5).
      const percent = Token.isUnresolved(fraction) ? new YamlRaw(`${Tokenization.stringifyNumber(fraction)}e2`) : fraction * 100;
      return { type: 'probabilistic', probabilistic: { sampling_percentage: percent } };
    }
    return { type: 'status_code', status_code: { status_codes: ['ERROR'] } };
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
   * How long the collector waits after a trace's first span before deciding (1 second or more; any whole number of
   * milliseconds, rendered as `1500ms` or `10s`).
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

