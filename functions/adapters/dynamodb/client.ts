/**
 * The DynamoDB document client every function uses, in a module of its own: functions that need nothing
 * but DynamoDB (the ticket API, the spool replay) import it from here and so do not load the SNS, SES,
 * SQS and Secrets Manager clients that the composition root (wiring.ts) imports; on a cold start each of
 * those costs tens of milliseconds (see docs/benchmarks.md, "init incl. SDK").
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config.js';
import { sdkClientOptions, type SdkLimits } from '../sdk-client-options.js';

/**
 * Twilio waits 15 s for a webhook; a stuck database call must fail fast enough to still say something:
 * a hang is an error within 1.4 s, retries included (sdk-client-options.ts), which the adapters turn
 * into StoreUnavailableError. `limits` is for tests that need a shorter or longer bound.
 */
export function dynamoClient(config: Pick<Config, 'region' | 'dynamoEndpoint'>, limits?: Partial<SdkLimits>): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: config.region,
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    ...sdkClientOptions(limits),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
