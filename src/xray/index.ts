export * from './encryption';
export * from './filter-expression';
export * from './resource-policy';
export * from './sampling-rate';
export * from './sampling-rule';
export * from './sns-tracing';
export * from './trace-group';
export * from './transaction-search';
