export * from './sns-tracing';
