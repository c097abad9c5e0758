export * from './xray-checks';
