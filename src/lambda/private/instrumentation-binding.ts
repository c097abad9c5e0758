/** What the enable-path and an instrumentation exchange when the instrumentation is bound to a function. */

/**
 * What an instrumentation applies to a function on one enable call.
 */
export interface LambdaInstrumentationBinding {
  /** The variables the instrumentation wants (never overwriting the user's). */
  readonly environment: Record<string, string>;
  /** Whether the instrumentation's layer is on the function now. */
  readonly layerAdded: boolean;
  /** The annotations the instrumentation itself records on every invocation, and what records them. */
  readonly recordedAnnotations?: RecordedAnnotations;
}

/** Annotation keys an instrumentation records by itself, whatever the code declares. */
export interface RecordedAnnotations {
  /** What records them, for people: `Powertools Tracer`. */
  readonly by: string;
  readonly keys: string[];
}

/**
 * What an enable call knows when it binds an instrumentation.
 */
export interface LambdaInstrumentationContext {
  readonly serviceName?: string;
  /** The service name Powertools reports when none is given (the construct id, as a segment name). */
  readonly defaultServiceName: string;
  /** Whether this is the first enable call for the function (advisories are given once). */
  readonly firstTime: boolean;
  /** Whether an earlier call added the layer. */
  readonly layerAdded: boolean;
}
