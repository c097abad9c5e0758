import { Token } from 'aws-cdk-lib';
import { CfnServiceLevelObjective } from 'aws-cdk-lib/aws-applicationsignals';
import { ProblemCollector } from '../private/errors';

/** The earliest calendar-interval start CloudFormation accepts: 2000-01-01T00:00:00Z, in epoch seconds. */
const MIN_START_TIME = 946684800;

/** The units CloudFormation takes for an SLO interval (`DurationUnit`). */
enum IntervalUnit {
  DAY = 'DAY',
  MONTH = 'MONTH',
}

/**
 * The interval an SLO is evaluated over: rolling (the last N days or months, moving) or calendar-aligned (fixed
 * intervals of N days or months from a start time, one after another).
 *
 * CloudFormation takes `DAY` and `MONTH` as units (the Application Signals API also names `MINUTE` and `HOUR`,
 * which the CloudFormation resource does not list).
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-applicationsignals-servicelevelobjective-rollinginterval.html
 */
export class SloInterval {
  /** The last `days` days, rolling (`RollingInterval`, unit `DAY`). */
  public static rollingDays(days: number): SloInterval {
    return new SloInterval('rolling', days, IntervalUnit.DAY);
  }

  /** The last `months` months, rolling (`RollingInterval`, unit `MONTH`). */
  public static rollingMonths(months: number): SloInterval {
    return new SloInterval('rolling', months, IntervalUnit.MONTH);
  }

  /** Calendar intervals of `days` days, the first starting at `startTime` (`CalendarInterval`, unit `DAY`). */
  public static calendarDays(days: number, startTime: Date): SloInterval {
    return new SloInterval('calendar', days, IntervalUnit.DAY, startTime);
  }

  /**
   * Calendar intervals of `months` months, the first starting at `startTime` (`CalendarInterval`, unit `MONTH`):
   * `SloInterval.calendarMonths(1, new Date('2026-01-01T00:00:00Z'))` evaluates each calendar month.
   */
  public static calendarMonths(months: number, startTime: Date): SloInterval {
    return new SloInterval('calendar', months, IntervalUnit.MONTH, startTime);
  }

  private constructor(
    private readonly kind: 'rolling' | 'calendar',
    private readonly duration: number,
    private readonly unit: IntervalUnit,
    private readonly startTime?: Date,
  ) {}

  /** Validates the interval (problems named `interval`) and renders it. @internal */
  public _render(problems: ProblemCollector): CfnServiceLevelObjective.IntervalProperty {
    const duration = this.duration;
    if (!Token.isUnresolved(duration) && !(Number.isInteger(duration) && duration >= 1)) {
      problems.add('interval', `must last a whole number of 1 or more ${this.unit === IntervalUnit.DAY ? 'days' : 'months'}`, duration,
        'Pass for example SloInterval.rollingDays(28) or SloInterval.calendarMonths(1, start).');
    }
    if (this.kind === 'rolling') {
      return { rollingInterval: { duration, durationUnit: this.unit } };
    }
    const start = this.startTime;
    let epochSeconds = MIN_START_TIME;
    if (!(start instanceof Date) || Number.isNaN(start.getTime())) {
      problems.add('interval startTime', 'must be a valid Date', start, 'Pass for example new Date(\'2026-01-01T00:00:00Z\').');
    } else {
      epochSeconds = Math.floor(start.getTime() / 1000);
      if (epochSeconds < MIN_START_TIME) {
        problems.add('interval startTime', 'must be 2000-01-01T00:00:00Z or later', start.toISOString(), 'Pass a later start time.');
      }
    }
    return { calendarInterval: { duration, durationUnit: this.unit, startTime: epochSeconds } };
  }
}
