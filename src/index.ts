export * from './apigateway';
export * from './checks';
export * from './cost';
export * from './ecs';
export * from './iam';
export * from './lambda';
export * from './policy';
export * from './xray';
