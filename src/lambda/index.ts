export * from './instrumentation';
export * from './lambda-tracing';
export * from './traced-function';
