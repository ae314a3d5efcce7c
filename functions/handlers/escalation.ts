/**
 * Lambda entry of the automatic escalation (issue 17), invoked every minute by EventBridge Scheduler
 * (lib/constructs/escalation-schedule.ts) and by a timer in the local server. Wires only what it uses:
 * the directory (plans), the tickets table and the pager (the SNS topic on AWS, the outbox locally).
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { runAutoEscalation } from '../app/auto-escalate.js';
import { parseConfig } from '../config.js';
import { dynamoClient } from '../adapters/dynamodb/client.js';
import { DynamoDirectory } from '../adapters/dynamodb/directory.js';
import { DynamoTicketStore } from '../adapters/dynamodb/ticket-store.js';
import { OutboxPager } from '../adapters/outbox/outbox.js';
import { SnsTopicPager } from '../adapters/sns/topic-pager.js';
import { sdkClientOptions } from '../adapters/sdk-client-options.js';
import { observability } from './observability.js';
import { ENV } from '../env.js';
import { lazyHandler, type Env } from './bootstrap.js';

export type EscalationRun = () => Promise<{ checked: number; escalated: string[] }>;

/** The entry for an explicit environment (the local server passes its own). */
export function createHandler(env: Env): EscalationRun {
  const config = parseConfig(env, 'escalation');
  const obs = observability('escalation', !!config.localOutbox, env[ENV.powertoolsLogLevel]);
  const doc = dynamoClient(config);
  const now = () => new Date();
  const pager = config.localOutbox
    ? new OutboxPager(config.localOutbox, now)
    : config.pagerTopicArn
      ? new SnsTopicPager(new SNSClient({ region: config.region, ...sdkClientOptions() }), config.pagerTopicArn)
      : undefined;
  const tickets = new DynamoTicketStore(doc, config.tables.tickets);
  const directory = new DynamoDirectory(doc, config.tables.directory, { now: () => Date.now() });

  return async () => {
    try {
      const result = await runAutoEscalation({ tickets, directory, pager, now, log: obs.log, metric: obs.metric });
      if (result.escalated.length) obs.log('info', 'escalation run', result);
      return result;
    } finally {
      obs.flush(); // TicketAutoEscalated, as one EMF line per run
    }
  };
}

/** Lambda's entry: configured from `process.env` on the first invocation, not at import. */
export const handler: EscalationRun = lazyHandler(() => createHandler(process.env));
