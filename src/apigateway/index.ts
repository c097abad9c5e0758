export * from './rest-api-tracing';
export * from './traced-rest-api';
