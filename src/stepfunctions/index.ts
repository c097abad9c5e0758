export * from './state-machine-tracing';
