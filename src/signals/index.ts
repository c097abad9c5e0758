export * from './discovery';
export * from './service-level-indicator';
export * from './service-level-objective';
export * from './slo-interval';
