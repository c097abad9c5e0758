export * from './xray-checks';
export * from './xray-checks-props';
