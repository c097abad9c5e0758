export * from './apigateway';
export * from './iam';
export * from './lambda';
