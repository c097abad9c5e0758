export * from './apigateway';
export * from './cost';
export * from './ecs';
export * from './iam';
export * from './lambda';
export * from './xray';
