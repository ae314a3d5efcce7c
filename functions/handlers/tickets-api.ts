/** Lambda entry of the ticket API. IAM guards it on AWS; a bearer token guards it where API_TOKEN is set (local mode). */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ticketsApi } from '../app/tickets-api.js';
import { parseConfig } from '../config.js';
import { DynamoTicketStore } from '../adapters/dynamodb/ticket-store.js';
import { DynamoAuditLog } from '../adapters/dynamodb/audit-log.js';
import { dynamoClient } from '../adapters/dynamodb/client.js';
import { observability } from './observability.js';
import { ENV } from '../env.js';
import { lazyHandler, type Env } from './bootstrap.js';

/** The entry for an explicit environment (the local server passes its own). */
export function createHandler(env: Env) {
  const config = parseConfig(env, 'tickets-api');
  const obs = observability('tickets-api', !!config.localOutbox, env[ENV.powertoolsLogLevel]);
  const doc = dynamoClient(config);
  const apiToken = 'inline' in config.secrets ? config.secrets.inline.apiToken : undefined;
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().handler(
    ticketsApi({
      tickets: new DynamoTicketStore(doc, config.tables.tickets),
      audit: new DynamoAuditLog(doc, config.tables.tickets),
      apiToken: async () => apiToken,
      log: obs.log,
    }),
  );
}

/** Lambda's entry: configured from `process.env` on the first invocation, not at import. */
export const handler = lazyHandler(() => createHandler(process.env));
