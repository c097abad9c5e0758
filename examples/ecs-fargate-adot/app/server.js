// A small orders service. OpenTelemetry's Node.js auto-instrumentation (loaded with --require, see the Dockerfile)
// traces every request; the task definition points it at the collector sidecar through OTEL_* variables.
const http = require('http');
const { trace } = require('@opentelemetry/api');

const keys = new Set((process.env.XRAY_ANNOTATION_KEYS ?? '').split(',').filter(Boolean));

http.createServer((req, res) => {
  const span = trace.getActiveSpan();
  if (span && keys.has('tenant_tier')) {
    span.setAttribute('tenant_tier', req.headers['x-tenant-tier'] ?? 'standard');
  }
  if (req.url === '/health') {
    res.writeHead(200).end('ok');
    return;
  }
  if (req.url === '/fail') {
    res.writeHead(500).end('failed');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
}).listen(8080);
