import { Duration, Size, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { renderValue, ProblemCollector } from '../../private/errors';

/**
 * Limits of Lambda's CreateFunction that aws-cdk-lib does not check, or checks with an error that names no path:
 * such a function synthesizes, and the deployment fails.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
 */
export const LAMBDA_MEMORY_MB = { min: 128, max: 10240 };
export const LAMBDA_EPHEMERAL_STORAGE_MIB = { min: 512, max: 10240 };
export const LAMBDA_MAX_TIMEOUT_SECONDS = 900;

/** Checks the props of `lambda.Function` against Lambda's limits, before aws-cdk-lib sees them; tokens pass. */
export function validateFunctionLimits(problems: ProblemCollector, props: lambda.FunctionProps): void {
  const timeout = props.timeout;
  if (timeout !== undefined && isDuration(timeout) && !timeout.isUnresolved()) {
    const ms = timeout.toMilliseconds({ integral: false });
    if (!(ms % 1000 === 0)) {
      problems.add('timeout', 'must be a whole number of seconds (Lambda\'s Timeout is in seconds)', timeout.toHumanString(),
        `Pass Duration.seconds(${Math.max(1, Math.ceil(ms / 1000))}) or another whole number of seconds.`);
    } else if (ms < 1000 || ms > LAMBDA_MAX_TIMEOUT_SECONDS * 1000) {
      problems.add('timeout', `must be 1 to ${LAMBDA_MAX_TIMEOUT_SECONDS} seconds (15 minutes), Lambda's limit`, timeout.toHumanString(),
        'Lower the timeout, or run longer work in Step Functions or ECS.');
    }
  }
  checkWholeRange(problems, 'memorySize', props.memorySize, LAMBDA_MEMORY_MB, 'MB',
    'Pick a size in that range (Lambda gives CPU in proportion to memory).');
  const storage = props.ephemeralStorageSize;
  if (storage !== undefined && isSize(storage) && !storage.isUnresolved()) {
    let mib: number | undefined;
    try {
      mib = storage.toMebibytes();
    } catch {
      mib = undefined;
    }
    if (mib === undefined || !isWholeIn(mib, LAMBDA_EPHEMERAL_STORAGE_MIB)) {
      problems.add('ephemeralStorageSize', `must be a whole number of MiB from ${LAMBDA_EPHEMERAL_STORAGE_MIB.min} to ${LAMBDA_EPHEMERAL_STORAGE_MIB.max}`,
        mib ?? renderValue(storage), 'Pass Size.mebibytes(n) with n in that range; 512 is the default and free.');
    }
  }
  const reserved = props.reservedConcurrentExecutions;
  if (reserved !== undefined && !Token.isUnresolved(reserved) && !(Number.isInteger(reserved) && reserved >= 0)) {
    problems.add('reservedConcurrentExecutions', 'must be a whole number, 0 or more', reserved,
      'Use 0 to stop the function from running, or a positive number within the account\'s concurrency; omit it for no reservation.');
  }
}

function checkWholeRange(problems: ProblemCollector, prop: string, value: number | undefined, range: { min: number; max: number }, unit: string,
  fix: string): void {
  if (value !== undefined && !Token.isUnresolved(value) && !isWholeIn(value, range)) {
    problems.add(prop, `must be a whole number of ${unit} from ${range.min} to ${range.max}`, value, fix);
  }
}

function isWholeIn(value: number, range: { min: number; max: number }): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max;
}

function isDuration(value: unknown): value is Duration {
  return value instanceof Duration || typeof (value as Partial<Duration>)?.toMilliseconds === 'function';
}

function isSize(value: unknown): value is Size {
  return value instanceof Size || typeof (value as Partial<Size>)?.toMebibytes === 'function';
}
