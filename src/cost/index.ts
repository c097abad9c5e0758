export * from './trace-cost-estimate';
