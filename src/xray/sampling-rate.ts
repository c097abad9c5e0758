import { Token } from 'aws-cdk-lib';
import { fail } from '../private/errors';

/**
 * A share of requests to sample, kept as a ratio between 0 and 1 (what X-Ray stores as `FixedRate`).
 *
 * Validation happens where the rate is used, so the error names the construct and the prop.
 */
export class SamplingRate {
  /** Sample no request (beyond the reservoir). */
  public static none(): SamplingRate {
    return new SamplingRate(0, 'SamplingRate.none()');
  }

  /** Sample every request. */
  public static all(): SamplingRate {
    return new SamplingRate(1, 'SamplingRate.all()');
  }

  /**
   * A percentage between 0 and 100, for example `SamplingRate.percent(5)` for 5 %.
   */
  public static percent(percent: number): SamplingRate {
    if (Token.isUnresolved(percent)) {
      fail('SamplingRate.percent', 'percent', 'cannot be a token: it must be divided by 100 at synth time', percent,
        'Pass SamplingRate.ratio(token) with a value between 0 and 1 instead.');
    }
    return new SamplingRate(percent / 100, `SamplingRate.percent(${percent})`);
  }

  /**
   * A ratio between 0 and 1, for example `SamplingRate.ratio(0.05)` for 5 %. Tokens are accepted.
   */
  public static ratio(ratio: number): SamplingRate {
    return new SamplingRate(ratio, `SamplingRate.ratio(${Token.isUnresolved(ratio) ? '<token>' : ratio})`);
  }

  /** The rate as a fraction between 0 and 1 (may be a token). */
  public readonly fraction: number;

  /** How the rate was written, for error messages. */
  public readonly description: string;

  private constructor(ratio: number, description: string) {
    this.fraction = ratio;
    this.description = description;
  }

  /** The rate as a percentage, for messages and reports. */
  public get percentage(): number {
    return this.fraction * 100;
  }
}
