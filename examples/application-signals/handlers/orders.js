// GET /orders/{id}: the AWS Lambda Layer for OpenTelemetry instruments this handler (no tracing code here); with
// Application Signals on, the layer also reports the function's latency, errors and faults as service `orders`.
exports.handler = async (event) => {
  const id = event?.pathParameters?.id ?? 'unknown';
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, status: 'shipped' }) };
};
