/**
 * The CloudFormation metadata key under which a function, task definition or stage traced by this library records how
 * it is traced (instrumentation, service name, annotation keys; for a task definition, `collector`: `adot`,
 * `xrayDaemon`, `applicationSignals` or `direct`). Written by the enable-paths, read by the checks, the trace graph and
 * `cdk-xray report`.
 */
export const TRACING_METADATA_KEY = 'cdk-xray-constructs:tracing';

/** The construct metadata type that marks a subtree `EnableTracingAspect` leaves alone. */
export const TRACING_EXEMPT_METADATA = 'cdk-xray-constructs:tracing-exempt';
