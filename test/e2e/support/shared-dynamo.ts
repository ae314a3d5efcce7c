/**
 * With `TEST_DYNAMODB_ENDPOINT` set (`npm run test:dynamodb-local`), the end-to-end servers run on that
 * DynamoDB instead of their embedded one, each with tables of its own, so the files can share the engine.
 * Without it they keep the embedded DynamoDB `npm start` uses.
 */
import { externalDynamoEndpoint, uniqueTables } from '../../support/embedded-dynamo.js';

/** Options for `startLocal`. */
export function serverDatabase(): { dynamoEndpoint?: string; tables?: Record<'directory' | 'calls' | 'tickets', string> } {
  const endpoint = externalDynamoEndpoint();
  return endpoint ? { dynamoEndpoint: endpoint, tables: uniqueTables() } : {};
}
