// OpenTelemetry set-up, loaded before the app with `node --require ./tracing.js`. Everything the task definition sets
// (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER, OTEL_EXPORTER_OTLP_ENDPOINT) is read from the
// environment; this file adds what the environment cannot express: X-Ray trace IDs and the X-Ray propagator.
const { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node');
const { W3CBaggagePropagator, W3CTraceContextPropagator, CompositePropagator } = require('@opentelemetry/core');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { AWSXRayIdGenerator } = require('@opentelemetry/id-generator-aws-xray');
const { AWSXRayPropagator } = require('@opentelemetry/propagator-aws-xray');
const { NodeSDK } = require('@opentelemetry/sdk-node');

const protocol = process.env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
if (protocol !== 'http/protobuf') {
  throw new Error(`tracing.js sends OTLP over HTTP (protobuf); OTEL_EXPORTER_OTLP_PROTOCOL is ${protocol}`);
}

const PROPAGATORS = {
  xray: () => new AWSXRayPropagator(),
  tracecontext: () => new W3CTraceContextPropagator(),
  baggage: () => new W3CBaggagePropagator(),
};
const names = (process.env.OTEL_PROPAGATORS ?? 'xray,tracecontext,baggage').split(',').map(n => n.trim()).filter(Boolean);
const unknown = names.filter(n => !(n in PROPAGATORS));
if (unknown.length > 0) {
  throw new Error(`OTEL_PROPAGATORS names propagators this app does not load: ${unknown.join(', ')}`);
}

const sdk = new NodeSDK({
  traceExporter: new OTLPTraceExporter(),
  idGenerator: new AWSXRayIdGenerator(),
  textMapPropagator: new CompositePropagator({ propagators: names.map(n => PROPAGATORS[n]()) }),
  instrumentations: [getNodeAutoInstrumentations({ '@opentelemetry/instrumentation-fs': { enabled: false } })],
});
sdk.start();

// Export what is buffered before the process ends (ECS stops a task with SIGTERM).
process.once('SIGTERM', () => {
  sdk.shutdown().finally(() => process.exit(0));
});
