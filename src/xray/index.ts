export * from './encryption';
export * from './filter-expression';
export * from './filter-vocabulary';
export * from './resource-policy';
export * from './sampling-rate';
export * from './sampling-rule';
export * from './trace-group';
export * from './transaction-search';
