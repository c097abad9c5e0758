// A small orders service. OpenTelemetry (tracing.js, loaded with --require, see the Dockerfile) traces every request;
// the task definition points it at the collector sidecar through OTEL_* variables and lists the annotation keys the
// collector indexes in XRAY_ANNOTATION_KEYS.
const http = require('http');
const { trace } = require('@opentelemetry/api');

const keys = new Set((process.env.XRAY_ANNOTATION_KEYS ?? '').split(',').filter(Boolean));

http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://orders.internal');
  const span = trace.getActiveSpan();
  if (span) {
    if (keys.has('tenant_tier')) {
      span.setAttribute('tenant_tier', req.headers['x-tenant-tier'] ?? 'standard');
    }
    if (keys.has('order_kind')) {
      span.setAttribute('order_kind', url.searchParams.get('kind') ?? 'standard');
    }
    // One value per order: useful in a trace, never indexed (the collector keeps it as metadata).
    const orderId = url.searchParams.get('order');
    if (orderId) {
      span.setAttribute('order_id', orderId);
    }
  }
  if (url.pathname === '/health') {
    res.writeHead(200).end('ok');
    return;
  }
  if (url.pathname === '/fail') {
    res.writeHead(500).end('failed');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
}).listen(Number(process.env.PORT ?? 8080), process.env.HOST);
