/**
 * Reading values out of synthesized CloudFormation: shared by the template model (`src/template/`) and the collector
 * detection that the constructs use too (`collector-detection.ts`).
 */

/** Stands for a deploy-time part of an `Fn::Join` (a `Ref`, a `Fn::GetAtt`...). */
export const DEPLOY_TIME = '\u0000';

/** The text of a template value: a string, or an `Fn::Join` of strings and deploy-time parts; else undefined. */
export function templateText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  const join = value !== null && typeof value === 'object' ? (value as any)['Fn::Join'] : undefined;
  if (!Array.isArray(join) || join.length !== 2 || typeof join[0] !== 'string' || !Array.isArray(join[1])) {
    return undefined;
  }
  return join[1].map((part: unknown) => (typeof part === 'string' ? part : DEPLOY_TIME)).join(join[0]);
}
