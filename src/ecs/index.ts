export * from './collector-config';
export * from './ecs-tracing';
export * from './ecs-tracing-options';
export * from './tail-sampling';
export * from './trace-collector';
export * from './traced-fargate-task-definition';
export * from './container-instrumentation';
export * from './trace-collector-options';
