/**
 * Lambda entry of the spool replay, fed by the spool queue's SQS event source (partial batch failures on).
 * It needs only the tickets table, so it wires just that: no secrets, no notifiers, a small cold start.
 */
import { spoolReplayHandler } from '../app/spool-replay.js';
import { DynamoTicketStore } from '../adapters/dynamodb/ticket-store.js';
import { parseConfig } from '../config.js';
import { dynamoClient } from '../adapters/dynamodb/client.js';
import { observability } from './observability.js';

const config = parseConfig(process.env, 'spool-replay');
const obs = observability('spool-replay', !!config.localOutbox);

export const handler = spoolReplayHandler({ tickets: new DynamoTicketStore(dynamoClient(config), config.tables.tickets), log: obs.log });
