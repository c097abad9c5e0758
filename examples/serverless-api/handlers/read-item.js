// GET /items/{pk}: returns the stored item, or 404.
const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');

const client = new DynamoDBClient({});

exports.handler = async (event) => {
  const pk = event.pathParameters?.pk;
  const result = await client.send(new GetItemCommand({
    TableName: process.env.TABLE_NAME,
    Key: { pk: { S: pk } },
  }));
  if (result.Item === undefined) {
    return { statusCode: 404, body: JSON.stringify({ message: 'not found' }) };
  }
  return { statusCode: 200, body: result.Item.payload.S };
};
