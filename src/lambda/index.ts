export * from './instrumentation';
export * from './instrumentation-options';
export * from './lambda-tracing-options';
export * from './lambda-tracing';
export * from './traced-function';
