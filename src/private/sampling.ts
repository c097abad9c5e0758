/** Attribute names and values that look like a response status, which head sampling can never see. */
const STATUS_KEY = /(^|[._-])(status|status_?code|response)([._-]|$)/i;
const STATUS_VALUE = /^[1-5](\d\d|xx)$/i;

/** The attributes of a sampling rule that look like a response status (name or value). */
export function statusLikeAttributes(attributes: { [key: string]: unknown }): Array<[string, string]> {
  return Object.entries(attributes)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .filter(([k, v]) => STATUS_KEY.test(k) || STATUS_VALUE.test(v));
}

/** Why the X-Ray SDKs ignore a sampling rule, or an empty list when they apply it. */
export function reasonsSdksIgnore(resourceArn: unknown, attributes: { [key: string]: unknown } | undefined): string[] {
  const reasons: string[] = [];
  if (resourceArn !== undefined && resourceArn !== '*') {
    reasons.push(`resourceArn is ${typeof resourceArn === 'string' ? resourceArn : 'not *'}`);
  }
  if (attributes !== undefined && Object.keys(attributes).length > 0) {
    reasons.push('it has attributes');
  }
  return reasons;
}
