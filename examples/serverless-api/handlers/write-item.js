// POST /items: stores the JSON body as an item. The table's partition key is `pk`.
//
// Traced with Powertools for AWS Lambda's Tracer (LambdaInstrumentation.powertools() sets its POWERTOOLS_* variables),
// instrumented by hand as the Tracer documents for function handlers: a `## <handler>` subsegment with the ColdStart
// and Service annotations, the DynamoDB call as a subsegment of it. Only the keys the function declares
// (annotationKeys, handed over in XRAY_ANNOTATION_KEYS) become annotations; everything else is metadata.
const { Tracer } = require('@aws-lambda-powertools/tracer');
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');

const tracer = new Tracer();
const client = tracer.captureAWSv3Client(new DynamoDBClient({}));
const keys = new Set((process.env.XRAY_ANNOTATION_KEYS ?? '').split(',').filter(Boolean));

exports.handler = async (event, context) => {
  const segment = tracer.getSegment();
  const subsegment = segment?.addNewSubsegment(`## ${process.env._HANDLER}`);
  if (subsegment) {
    tracer.setSegment(subsegment);
  }
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  try {
    return await writeItem(event, context);
  } catch (err) {
    tracer.addErrorAsMetadata(err);
    throw err;
  } finally {
    subsegment?.close();
    if (segment) {
      tracer.setSegment(segment);
    }
  }
};

async function writeItem(event, context) {
  // One value per invocation: useful in a trace, never indexed.
  tracer.putMetadata('invocation_id', context?.awsRequestId);
  let body;
  try {
    body = JSON.parse(event.body ?? '');
  } catch {
    return { statusCode: 400, body: JSON.stringify({ message: 'body must be JSON' }) };
  }
  if (typeof body.pk !== 'string' || body.pk.length === 0) {
    return { statusCode: 400, body: JSON.stringify({ message: 'pk must be a non-empty string' }) };
  }
  if (keys.has('item_kind')) {
    tracer.putAnnotation('item_kind', typeof body.kind === 'string' ? body.kind : 'unknown');
  }
  await client.send(new PutItemCommand({
    TableName: process.env.TABLE_NAME,
    Item: { pk: { S: body.pk }, payload: { S: JSON.stringify(body) } },
  }));
  return { statusCode: 201, body: JSON.stringify({ pk: body.pk }) };
}
