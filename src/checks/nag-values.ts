import type * as nag from 'cdk-nag';

/*
 * cdk-nag's enum values, for the code `cdk-xray` runs: importing a value from 'cdk-nag' loads its index, which loads
 * every rule pack and with them some thirty aws-cdk-lib modules (about 90 ms and 20 MiB before a template is read).
 * The types are cdk-nag's own (type-only import), so the rules' results go to NagPack unchanged; a test keeps the
 * values equal to cdk-nag's.
 */

/** cdk-nag's `NagRuleCompliance`, loaded without cdk-nag. */
export const NagRuleCompliance = {
  COMPLIANT: 'Compliant' as nag.NagRuleCompliance.COMPLIANT,
  NON_COMPLIANT: 'Non-Compliant' as nag.NagRuleCompliance.NON_COMPLIANT,
  NOT_APPLICABLE: 'N/A' as nag.NagRuleCompliance.NOT_APPLICABLE,
} as const;
export type NagRuleCompliance = nag.NagRuleCompliance;

/** cdk-nag's `NagMessageLevel`, loaded without cdk-nag. */
export const NagMessageLevel = {
  WARN: 'Warning' as nag.NagMessageLevel.WARN,
  ERROR: 'Error' as nag.NagMessageLevel.ERROR,
  INFO: 'Info' as nag.NagMessageLevel.INFO,
} as const;
export type NagMessageLevel = nag.NagMessageLevel;

export type NagRuleResult = nag.NagRuleResult;
