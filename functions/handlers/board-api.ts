/**
 * Lambda entry of the ticket actions, the board's reads and the OpenAPI description (functions/app/api/board-api.ts).
 * Wires only what it uses (DynamoDB, the texts and emails of a closure), not the whole of wiring.ts: no
 * Secrets Manager, SQS or pager client in its bundle.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { boardApi } from '../app/api/board-api.js';
import { parseConfig } from '../config.js';
import { dynamoClient } from '../adapters/dynamodb/client.js';
import { DynamoTicketStore } from '../adapters/dynamodb/ticket-store.js';
import { DynamoAuditLog } from '../adapters/dynamodb/audit-log.js';
import { DynamoDirectory } from '../adapters/dynamodb/directory.js';
import { DynamoAgentPresence } from '../adapters/dynamodb/agent-presence.js';
import { ChannelNotifier } from '../adapters/notifier.js';
import { SnsSmsNotifier } from '../adapters/sns/sms-notifier.js';
import { SesEmailNotifier } from '../adapters/ses/email-notifier.js';
import { OutboxNotifier } from '../adapters/outbox/outbox.js';
import { observability } from './observability.js';
import { sdkClientOptions } from '../adapters/sdk-client-options.js';
import { ENV } from '../env.js';
import { lazyHandler, type Env } from './bootstrap.js';

/** The entry for an explicit environment (the local server passes its own). */
export function createHandler(env: Env) {
  const config = parseConfig(env, 'board-api');
  const obs = observability('board-api', !!config.localOutbox, env[ENV.powertoolsLogLevel]);
  const doc = dynamoClient(config);
  const apiToken = 'inline' in config.secrets ? config.secrets.inline.apiToken : undefined;
  const now = () => new Date();
  const notifier = config.localOutbox
    ? new OutboxNotifier(config.localOutbox, now)
    : new ChannelNotifier({
        sms: new SnsSmsNotifier(new SNSClient({ region: config.region, ...sdkClientOptions() }), { senderId: config.smsSenderId }),
        email: config.sesFrom
          ? new SesEmailNotifier(new SESv2Client({ region: config.region, ...sdkClientOptions() }), {
              from: config.sesFrom,
              configurationSet: config.sesConfigurationSet,
            })
          : undefined,
      });
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().handler(
    boardApi({
      tickets: new DynamoTicketStore(doc, config.tables.tickets),
      audit: new DynamoAuditLog(doc, config.tables.tickets),
      directory: new DynamoDirectory(doc, config.tables.directory, { now: () => Date.now() }),
      agents: new DynamoAgentPresence(doc, config.tables.calls),
      notifier,
      apiToken: async () => apiToken,
      now,
      log: obs.log,
    }),
  );
}

/** Lambda's entry: configured from `process.env` on the first invocation, not at import. */
export const handler = lazyHandler(() => createHandler(process.env));
