import { NagPackProps } from 'cdk-nag';
import { AnnotationPolicy } from '../policy/annotation-policy';

/**
 * Properties of `XRayChecks`.
 */
export interface XRayChecksProps extends NagPackProps {
  /**
   * The annotation policy every declared or referenced annotation key must pass.
   *
   * @default - `new AnnotationPolicy({ allowUndeclaredKeys: true })`: the default denied patterns, the X-Ray charset and
   * the 50-key budget, with any other key allowed
   */
  readonly annotationPolicy?: AnnotationPolicy;

  /**
   * The monthly X-Ray budget in USD for the trace cost check (`XRay-TraceCostBudget`), 0 or more. Give it together with
   * `requestsPerSecondByRule`: one without the other is refused. A deploy-time value (a parameter) cannot be compared at
   * synth: the check then reports a warning instead.
   *
   * @default - no cost check
   */
  readonly monthlyBudgetUsd?: number;

  /**
   * The average requests per second each sampling rule matches, by rule name (first match wins), for the cost check:
   * each from 0 to 1,000,000,000. `Default` is X-Ray's default rule (1 request per second, then 5 %) unless the app
   * defines a rule by that name. A name that is no sampling rule of the app is reported
   * (`XRay-TraceCostBudget[unknownRule:<name>]`), so a typo does not turn the check off.
   *
   * @default - no cost check
   */
  readonly requestsPerSecondByRule?: { [ruleName: string]: number };

  /**
   * Whether Warning-level findings fail the synthesis too. Error-level findings always fail it; Warning-level findings
   * (suspicious but deployable: a schedule that starts new traces, a managed policy, an HTTP API entry) are reported
   * either way.
   *
   * @default false - only Error-level findings fail the synthesis
   */
  readonly warningsFail?: boolean;
}
