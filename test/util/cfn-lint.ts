import { spawnSync } from 'child_process';

/** A finding of cfn-lint. */
export interface CfnLintFinding {
  readonly rule: string;
  readonly message: string;
  readonly file: string;
}

/**
 * Warnings that plain aws-cdk-lib output draws too, so they say nothing about this library:
 * W3005: aws-cdk-lib makes a function DependsOn its role although a GetAtt already orders them.
 */
export const KNOWN_CFN_LINT_WARNINGS: Record<string, string> = {
  W3005: 'DependsOn on a role that a GetAtt already enforces (aws-cdk-lib Function)',
};

/**
 * Runs the real cfn-lint on template files and returns its findings. Throws when cfn-lint is not installed: the
 * README's test command and .ci/run install it (requirements-dev.txt).
 */
export function cfnLint(files: string[]): CfnLintFinding[] {
  const result = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    throw new Error(`cfn-lint could not run (${result.error.message}); install it with: python3 -m pip install -r requirements-dev.txt`);
  }
  // Exit codes are a bit mask of error (2), warning (4) and informational (8) findings; 1 is a crash.
  if (result.status === 1 || result.stdout.trim() === '') {
    if (result.status === 0) {
      return [];
    }
    throw new Error(`cfn-lint failed (exit ${result.status}): ${result.stderr}`);
  }
  return JSON.parse(result.stdout).map((m: any) => ({
    rule: m.Rule.Id,
    message: m.Message,
    file: m.Filename,
  }));
}
