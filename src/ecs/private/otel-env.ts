import { Fn, Token } from 'aws-cdk-lib';
import { ProblemCollector } from '../../private/errors';

/**
 * What reaches a container's environment from the tracing options, and the checks that keep each value what it
 * claims to be there.
 */

/**
 * OpenTelemetry resource attribute keys in `OTEL_RESOURCE_ATTRIBUTES`: a W3C baggage key (an HTTP token), without `%`
 * (keys are not percent-decoded).
 * @see https://opentelemetry.io/docs/specs/otel/resource/sdk/#specifying-resource-information-via-an-environment-variable
 */
const ATTRIBUTE_KEY = /^[A-Za-z0-9!#$&'*+\-.^_`|~]+$/;

/** Keys that other options set: `service.name` comes from `OTEL_SERVICE_NAME`, which wins over the attribute. */
const RESERVED_ATTRIBUTE_KEYS: Record<string, string> = {
  'service.name': 'Set the container\'s serviceName (EcsTracing.configureContainer or addTracedContainer) instead: OTEL_SERVICE_NAME wins over this attribute.',
};

/** Checks the keys of `resourceAttributes`; values need no check, they are percent-encoded. */
export function validateResourceAttributes(problems: ProblemCollector, prop: string, attributes: { [key: string]: string } | undefined): void {
  if (attributes === undefined || Token.isUnresolved(attributes)) {
    return;
  }
  for (const [key, value] of Object.entries(attributes)) {
    if (Token.isUnresolved(key)) {
      continue;
    }
    if (!ATTRIBUTE_KEY.test(key)) {
      problems.add(`${prop} key`, 'must be letters, digits and ! # $ & \' * + - . ^ _ ` | ~ (no space, comma, equals sign, slash or percent)', key,
        `OTEL_RESOURCE_ATTRIBUTES separates attributes with "," and "="; use a key such as "${key.replace(/[^A-Za-z0-9._-]/g, '_') || 'deployment.environment'}".`);
    } else if (RESERVED_ATTRIBUTE_KEYS[key] !== undefined) {
      problems.add(`${prop} key`, 'is set by another option', key, RESERVED_ATTRIBUTE_KEYS[key]);
    }
    if (typeof value !== 'string') {
      problems.add(`${prop}.${key}`, 'must be a string', value, 'Pass the value as text, for example "prod".');
    }
  }
}

/**
 * Percent-encodes an attribute value as `OTEL_RESOURCE_ATTRIBUTES` requires: every character outside the W3C baggage
 * value octets (space, `"`, `,`, `;`, `\`, controls, non-ASCII as UTF-8 bytes), and `%`, `=`, `+` too, so that no
 * value can end its attribute, start another, or decode differently (Java's decoder reads `+` as a space).
 * A token is passed as it is: its value is only known at deploy time.
 */
export function encodeAttributeValue(value: string): string {
  if (Token.isUnresolved(value)) {
    return value;
  }
  let out = '';
  for (const ch of value) {
    if (/^[\x21\x23\x24\x26-\x2a\x2d-\x3a\x3c\x3e-\x5b\x5d-\x7e]$/.test(ch)) {
      out += ch;
    } else {
      for (const byte of Buffer.from(ch, 'utf8')) {
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
    }
  }
  return out;
}

/** `OTEL_RESOURCE_ATTRIBUTES` from attributes in order: `key=value` pairs, values percent-encoded, joined by commas. */
export function renderResourceAttributes(attributes: Array<[string, string]>): string | undefined {
  if (attributes.length === 0) {
    return undefined;
  }
  return attributes.map(([key, value]) => `${key}=${encodeAttributeValue(value)}`).join(',');
}

/**
 * The comma-separated annotation keys of several lists, each literal or a list token (a `CommaDelimitedList`
 * parameter): literal keys once each, list tokens through `Fn::Join`.
 */
export function joinAnnotationKeys(lists: ReadonlyArray<readonly string[] | undefined>): string | undefined {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const list of lists) {
    if (list === undefined) {
      continue;
    }
    if (Token.isUnresolved(list)) {
      parts.push(Fn.join(',', [...list]));
      continue;
    }
    for (const key of list) {
      if (!seen.has(key)) {
        seen.add(key);
        parts.push(key);
      }
    }
  }
  if (parts.length === 0) {
    return undefined;
  }
  return parts.join(',');
}
