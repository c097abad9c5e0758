export * from './trace-cost-estimate';
export * from './trace-cost-estimate-props';
