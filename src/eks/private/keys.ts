import { Fn, Token } from 'aws-cdk-lib';

/** `XRAY_ANNOTATION_KEYS` for a list of keys: literal keys joined by commas, a list token through `Fn::Join`. */
export function joinAnnotationKeysOf(keys: string[] | undefined): string | undefined {
  if (keys === undefined || (!Token.isUnresolved(keys) && keys.length === 0)) {
    return undefined;
  }
  return Token.isUnresolved(keys) ? Fn.join(',', keys) : [...new Set(keys)].join(',');
}
