import { Duration, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { renderValue, ProblemCollector } from '../../private/errors';
import type { EcsTracingOptions, TracedContainerOptions } from '../ecs-tracing-options';
import { TraceCollector } from '../trace-collector';

/**
 * Tracing options reduced to what decides the result, so that a second call with the same options (written another
 * way: `{}` and `{ collector: TraceCollector.adot() }`) is recognized as the same, and a different one says what differs.
 */

const ids = new WeakMap<object, number>();
let nextId = 0;

function identity(value: object): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = ++nextId;
    ids.set(value, id);
  }
  return id;
}

/** A value as plain data: constructs by path, durations by length, tokens and cycles by identity. */
export function canonical(value: unknown, seen: Set<object> = new Set()): unknown {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'function') {
    return { function: identity(value) };
  }
  if (typeof value !== 'object') {
    return String(value);
  }
  if (Construct.isConstruct(value)) {
    return { construct: value.node.path };
  }
  if (value instanceof Duration) {
    return value.isUnresolved() ? { duration: identity(value) } : { duration: `${value.toMilliseconds({ integral: false })}ms` };
  }
  if (Token.isUnresolved(value) && !Array.isArray(value)) {
    return { token: identity(value) };
  }
  if (seen.has(value)) {
    return { ref: identity(value) };
  }
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map(v => canonical(v, seen));
    }
    const out: Record<string, unknown> = {};
    const kind = value.constructor?.name;
    if (kind !== undefined && kind !== 'Object') {
      out['@type'] = kind;
    }
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) {
        out[key] = canonical(v, seen);
      }
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** The tracing options of a task definition, with defaults filled in, by field. */
export function taskTracingFields(options: EcsTracingOptions): Record<string, unknown> {
  const spec = (options.collector ?? TraceCollector.adot())._bind();
  const sidecar: Record<string, unknown> = { ...spec.options };
  const fields: Record<string, unknown> = { collector: spec.name };
  const defaults: Record<string, unknown> = { ...spec.defaults };
  for (const key of new Set([...Object.keys(sidecar), ...Object.keys(defaults)])) {
    const value = key === 'config' ? (sidecar.config as { options?: unknown } | undefined)?.options ?? {} : sidecar[key] ?? defaults[key];
    if (value !== undefined) {
      fields[`collector.${key}`] = value;
    }
  }
  if (spec.config !== undefined && fields['collector.config'] === undefined) {
    fields['collector.config'] = {};
  }
  fields.instrumentation = (options.instrumentation ?? spec.defaultInstrumentation)._name;
  fields.annotationKeys = options.annotationKeys ?? [];
  fields.resourceAttributes = options.resourceAttributes ?? {};
  return fields;
}

/** The tracing options of one container, with defaults filled in, by field. */
export function containerTracingFields(container: ecs.ContainerDefinition, options: TracedContainerOptions,
  taskInstrumentation: string): Record<string, unknown> {
  return {
    instrumentation: options.instrumentation?._name ?? taskInstrumentation,
    serviceName: options.serviceName ?? container.containerName,
    annotationKeys: options.annotationKeys ?? [],
  };
}

/**
 * Records one problem per field whose value differs between the first and a later call (same options: nothing).
 */
export function compareOptions(problems: ProblemCollector, first: Record<string, unknown>, later: Record<string, unknown>,
  what: string, fix: string): void {
  for (const field of new Set([...Object.keys(first), ...Object.keys(later)])) {
    const a = JSON.stringify(canonical(first[field]));
    const b = JSON.stringify(canonical(later[field]));
    if (a !== b) {
      problems.add(field, `differs from the ${what} (which had ${renderValue(canonical(first[field]))})`, canonical(later[field]), fix);
    }
  }
}

/** The tracing fields of a props object that may hold more (container or task-definition props). */
export function pickTracingOptions(options: EcsTracingOptions): EcsTracingOptions {
  return {
    collector: options.collector,
    instrumentation: options.instrumentation,
    annotationKeys: options.annotationKeys,
    resourceAttributes: options.resourceAttributes,
  };
}

/** The tracing fields of container props. */
export function pickContainerOptions(options: TracedContainerOptions): TracedContainerOptions {
  return { instrumentation: options.instrumentation, serviceName: options.serviceName, annotationKeys: options.annotationKeys };
}

