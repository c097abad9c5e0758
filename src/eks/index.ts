export * from './eks-collector';
export * from './eks-identity';
export * from './eks-modes';
export * from './eks-tracing';
export * from './eks-tracing-options';
