export * from './apigateway';
export * from './cost';
export * from './iam';
export * from './lambda';
export * from './xray';
