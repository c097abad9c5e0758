export * from './enable-tracing-aspect';
