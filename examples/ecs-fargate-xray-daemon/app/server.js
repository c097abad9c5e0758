// A small orders service instrumented with the AWS X-Ray SDK for Node.js. AWS_XRAY_DAEMON_ADDRESS and
// AWS_XRAY_TRACING_NAME come from the task definition. Each request gets a segment that continues the caller's trace
// (the X-Amzn-Trace-Id header) or starts one, sampled by the local rules below unless the caller decided already.
const http = require('http');
const AWSXRay = require('aws-xray-sdk-core');

AWSXRay.middleware.setDefaultName('orders');
AWSXRay.middleware.setSamplingRules({ version: 2, default: { fixed_target: 1, rate: 0.05 }, rules: [] });

http.createServer((req, res) => {
  const segment = AWSXRay.middleware.traceRequestResponseCycle(req, res);
  segment.addAnnotation('route', req.url === '/health' ? 'health' : 'orders');
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
}).listen(Number(process.env.PORT ?? 8080), process.env.HOST);
