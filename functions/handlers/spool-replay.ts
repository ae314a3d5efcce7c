/**
 * Lambda entry of the spool replay, fed by the spool queue's SQS event source (partial batch failures on).
 * It needs only the tickets table and the calls table (the call's one ticket number is claimed for the
 * reference), so it wires just those: no secrets, no notifiers, a small cold start.
 */
import { spoolReplayHandler } from '../app/spool-replay.js';
import { DynamoTicketStore } from '../adapters/dynamodb/ticket-store.js';
import { DynamoCallStore } from '../adapters/dynamodb/call-store.js';
import { parseConfig } from '../config.js';
import { dynamoClient } from '../adapters/dynamodb/client.js';
import { observability } from './observability.js';
import { ENV } from '../env.js';
import { lazyHandler, type Env } from './bootstrap.js';

/** The entry for an explicit environment. */
export function createHandler(env: Env) {
  const config = parseConfig(env, 'spool-replay');
  const obs = observability('spool-replay', !!config.localOutbox, env[ENV.powertoolsLogLevel]);
  const doc = dynamoClient(config);
  return spoolReplayHandler({ tickets: new DynamoTicketStore(doc, config.tables.tickets), calls: new DynamoCallStore(doc, config.tables.calls), log: obs.log });
}

/** Lambda's entry: configured from `process.env` on the first invocation, not at import. */
export const handler = lazyHandler(() => createHandler(process.env));
