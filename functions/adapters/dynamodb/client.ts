/**
 * The DynamoDB document client every function uses, in a module of its own: functions that need nothing
 * but DynamoDB (the ticket API, the spool replay) import it from here and so do not load the SNS, SES,
 * SQS and Secrets Manager clients that the composition root (wiring.ts) imports; on a cold start each of
 * those costs tens of milliseconds (see docs/benchmarks.md, "init incl. SDK").
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config.js';

export function dynamoClient(config: Pick<Config, 'region' | 'dynamoEndpoint'>): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: config.region,
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    // Twilio waits 15 s for a webhook; a stuck database call must fail fast enough to still say something.
    requestHandler: { requestTimeout: 2_000, connectionTimeout: 1_000 },
    maxAttempts: 2,
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
