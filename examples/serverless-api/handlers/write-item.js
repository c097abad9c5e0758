// POST /items: stores the JSON body as an item. The table's partition key is `pk`.
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');

const client = new DynamoDBClient({});

exports.handler = async (event) => {
  let body;
  try {
    body = JSON.parse(event.body ?? '');
  } catch {
    return { statusCode: 400, body: JSON.stringify({ message: 'body must be JSON' }) };
  }
  if (typeof body.pk !== 'string' || body.pk.length === 0) {
    return { statusCode: 400, body: JSON.stringify({ message: 'pk must be a non-empty string' }) };
  }
  await client.send(new PutItemCommand({
    TableName: process.env.TABLE_NAME,
    Item: { pk: { S: body.pk }, payload: { S: JSON.stringify(body) } },
  }));
  return { statusCode: 201, body: JSON.stringify({ pk: body.pk }) };
};
