// GET /items/{pk}: returns the stored item, or 404.
//
// Traced by the AWS Distro for OpenTelemetry from the function's layer (LambdaInstrumentation.adot()): the invocation
// and the DynamoDB call become spans with no code here. The handler adds attributes to the invocation's span; only the
// keys the function declares (annotationKeys, handed over in XRAY_ANNOTATION_KEYS) are marked for X-Ray to index
// (`aws.xray.annotations`), everything else stays metadata.
const { trace } = require('@opentelemetry/api');
const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');

const client = new DynamoDBClient({});
const keys = new Set((process.env.XRAY_ANNOTATION_KEYS ?? '').split(',').filter(Boolean));

exports.handler = async (event, context) => {
  const span = trace.getActiveSpan();
  // One value per invocation: useful in a trace, never indexed.
  span?.setAttribute('invocation_id', context?.awsRequestId ?? '');
  const pk = event.pathParameters?.pk;
  const result = await client.send(new GetItemCommand({
    TableName: process.env.TABLE_NAME,
    Key: { pk: { S: pk } },
  }));
  if (result.Item === undefined) {
    return { statusCode: 404, body: JSON.stringify({ message: 'not found' }) };
  }
  const payload = result.Item.payload.S;
  const indexed = [];
  if (keys.has('item_kind')) {
    span?.setAttribute('item_kind', String(JSON.parse(payload).kind ?? 'unknown'));
    indexed.push('item_kind');
  }
  if (indexed.length > 0) {
    span?.setAttribute('aws.xray.annotations', indexed);
  }
  return { statusCode: 200, body: payload };
};
