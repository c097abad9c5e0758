export * from './appsync-tracing';
