export * from './rest-api-tracing';
export * from './rest-api-tracing-options';
export * from './traced-rest-api';
