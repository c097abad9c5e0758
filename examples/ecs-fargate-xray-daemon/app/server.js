// A small orders service instrumented with the AWS X-Ray SDK for Node.js. AWS_XRAY_DAEMON_ADDRESS and
// AWS_XRAY_TRACING_NAME come from the task definition.
const http = require('http');
const AWSXRay = require('aws-xray-sdk-core');

AWSXRay.middleware.setSamplingRules({ version: 2, default: { fixed_target: 1, rate: 0.05 }, rules: [] });

http.createServer((req, res) => {
  const segment = new AWSXRay.Segment(process.env.AWS_XRAY_TRACING_NAME ?? 'orders', null, null);
  segment.addAnnotation('route', req.url === '/health' ? 'health' : 'orders');
  res.on('finish', () => {
    segment.http = { response: { status: res.statusCode } };
    segment.close();
  });
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
}).listen(8080);
