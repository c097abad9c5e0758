export * from './annotation-policy';
export * from './cardinality';
