/** Lambda entry of the ticket actions, the board's reads and the OpenAPI description (functions/app/api/board-api.ts). */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { boardApi } from '../app/api/board-api.js';
import { parseConfig } from '../config.js';
import { buildDeps } from '../wiring.js';
import { DynamoAgentPresence } from '../adapters/dynamodb/agent-presence.js';
import { observability } from './observability.js';

const config = parseConfig(process.env, 'board-api');
const obs = observability('board-api', !!config.localOutbox);
const { deps, doc } = buildDeps(config, { log: obs.log });
const apiToken = 'inline' in config.secrets ? config.secrets.inline.apiToken : undefined;

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().handler(
  boardApi({
    tickets: deps.tickets,
    audit: deps.audit,
    directory: deps.directory,
    agents: new DynamoAgentPresence(doc, config.tables.calls),
    notifier: deps.notifier,
    apiToken: async () => apiToken,
    now: deps.now,
    log: obs.log,
  }),
);
