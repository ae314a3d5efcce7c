/**
 * The composition root: builds every adapter once per cold start from the validated configuration and
 * hands the flows their ports. Clients are created here and nowhere else, so tests can build the same
 * graph around the embedded DynamoDB and mocked SNS/SES clients (`buildDeps(config, { ... })`).
 */
import { randomInt } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config, Secrets } from './config.js';
import type { CallStore, FlowDeps, NoticeQueue, Notifier, Pager, TicketSpool } from './app/ports.js';
import { dynamoClient } from './adapters/dynamodb/client.js';
import { sdkClientOptions } from './adapters/sdk-client-options.js';
import { DynamoCallStore } from './adapters/dynamodb/call-store.js';
import { DynamoCodeStore } from './adapters/dynamodb/code-store.js';
import { DynamoTicketStore } from './adapters/dynamodb/ticket-store.js';
import { DynamoAuditLog } from './adapters/dynamodb/audit-log.js';
import { DynamoAgentLockStore } from './adapters/dynamodb/agent-lock-store.js';
import { DynamoLimitStore } from './adapters/dynamodb/limit-store.js';
import { DynamoDirectory } from './adapters/dynamodb/directory.js';
import { ChannelNotifier } from './adapters/notifier.js';
import { SnsSmsNotifier } from './adapters/sns/sms-notifier.js';
import { SesEmailNotifier } from './adapters/ses/email-notifier.js';
import { SnsTopicPager } from './adapters/sns/topic-pager.js';
import { OutboxNotifier, OutboxPager } from './adapters/outbox/outbox.js';
import { deliverNotice } from './app/notice-replay.js';
import type { NoticeDrainResult } from './adapters/notice-queue/file-notice-queue.js';
import { secretsLoader } from './adapters/secrets.js';
import { FileTicketSpool } from './adapters/spool/file-spool.js';
import { SqsTicketSpool } from './adapters/spool/sqs-spool.js';
import { FileNoticeQueue } from './adapters/notice-queue/file-notice-queue.js';
import { SqsNoticeQueue } from './adapters/notice-queue/sqs-notice-queue.js';
import { renderTwiml } from './adapters/twilio/twiml.js';
import { hmacCodeHasher } from './adapters/crypto/code-hash.js';
import { scryptPinHasher } from './adapters/crypto/pin-hash.js';

export interface Wiring {
  deps: FlowDeps;
  secrets: () => Promise<Secrets>;
  doc: DynamoDBDocumentClient;
}

/** The store ports, which tests may replace with in-memory fakes (test/support/fakes/). */
export type StorePorts = Pick<FlowDeps, 'directory' | 'calls' | 'codes' | 'tickets' | 'audit' | 'agentLocks' | 'limits'>;

export interface WiringOverrides {
  doc?: DynamoDBDocumentClient;
  stores?: StorePorts;
  notifier?: Notifier;
  pager?: Pager;
  spool?: TicketSpool;
  notices?: NoticeQueue;
  now?: () => Date;
  sleep?: FlowDeps['sleep'];
  log?: FlowDeps['log'];
  metric?: FlowDeps['metric'];
  storeDeadlineMs?: FlowDeps['storeDeadlineMs'];
}

/** Re-exported: the client lives in its own module so DynamoDB-only functions need not import this one. */
export { dynamoClient };

export function buildDeps(config: Config, o: WiringOverrides = {}): Wiring {
  const doc = o.doc ?? dynamoClient(config);
  const now = o.now ?? (() => new Date());
  const secrets = secretsLoader(config, () => new SecretsManagerClient({ region: config.region, ...sdkClientOptions() }));
  const stores: StorePorts = o.stores ?? {
    directory: new DynamoDirectory(doc, config.tables.directory, { now: () => now().getTime() }),
    calls: new DynamoCallStore(doc, config.tables.calls, { ticketsTable: config.tables.tickets }),
    codes: new DynamoCodeStore(doc, config.tables.calls),
    tickets: new DynamoTicketStore(doc, config.tables.tickets),
    audit: new DynamoAuditLog(doc, config.tables.tickets),
    agentLocks: new DynamoAgentLockStore(doc, config.tables.calls),
    limits: new DynamoLimitStore(doc, config.tables.calls),
  };
  const deps: FlowDeps = {
    ...stores,
    notifier: o.notifier ?? notifierFor(config, now),
    pager: o.pager ?? pagerFor(config, now),
    spool: o.spool ?? spoolFor(config, now),
    notices: o.notices ?? noticesFor(config, now),
    twiml: { render: renderTwiml },
    codeHasher: hmacCodeHasher,
    pins: scryptPinHasher,
    codeKey: async () => (await secrets()).codeHashKey,
    now,
    sleep: o.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    randomInt: (max) => randomInt(max),
    taskRouter: config.taskRouter ? { workflowSid: config.taskRouter.workflowSid } : undefined,
    log: o.log,
    metric: o.metric,
    ...(o.storeDeadlineMs ? { storeDeadlineMs: o.storeDeadlineMs } : {}),
  };
  return { deps, secrets, doc };
}

function notifierFor(config: Config, now: () => Date): Notifier {
  if (config.localOutbox) return new OutboxNotifier(config.localOutbox, now);
  return new ChannelNotifier({
    sms: new SnsSmsNotifier(new SNSClient({ region: config.region, ...sdkClientOptions() }), { senderId: config.smsSenderId }),
    email: config.sesFrom
      ? new SesEmailNotifier(new SESv2Client({ region: config.region, ...sdkClientOptions() }), {
          from: config.sesFrom,
          configurationSet: config.sesConfigurationSet,
        })
      : undefined,
  });
}

function pagerFor(config: Config, now: () => Date): Pager | undefined {
  if (config.localOutbox) return new OutboxPager(config.localOutbox, now);
  if (config.pagerTopicArn) return new SnsTopicPager(new SNSClient({ region: config.region, ...sdkClientOptions() }), config.pagerTopicArn);
  return undefined;
}

/** Local mode's spool file sits beside the outbox, where the local server replays it from. */
export function localSpoolFile(localOutbox: string): string {
  return join(dirname(localOutbox), 'spool.jsonl');
}

/**
 * Where a ticket goes when DynamoDB cannot take it: the SQS spool queue on AWS, a spool file locally.
 * Neither shares DynamoDB's failure domain, so the caller's reference stays good through an outage.
 */
function spoolFor(config: Config, now: () => Date): TicketSpool | undefined {
  if (config.spoolQueueUrl) return new SqsTicketSpool(config.spoolQueueUrl, { region: config.region }, now);
  if (config.localOutbox) return new FileTicketSpool(localSpoolFile(config.localOutbox), now);
  return undefined;
}

/** Local mode's notice queue sits beside the outbox too, drained by the local server like the spool. */
export function localNoticeFile(localOutbox: string): string {
  return join(dirname(localOutbox), 'notices.jsonl');
}

/**
 * Where a confirmation or page goes when it cannot go now (or must go once per call): the SQS FIFO notice
 * queue on AWS, a file locally. Without either, a failure is only told to the caller and logged.
 */
function noticesFor(config: Config, now: () => Date): NoticeQueue | undefined {
  if (config.noticeQueueUrl) return new SqsNoticeQueue(config.noticeQueueUrl, { region: config.region }, now);
  if (config.localOutbox) return new FileNoticeQueue(localNoticeFile(config.localOutbox), now);
  return undefined;
}

/** Local mode's consumer of the notice file (the SQS consumer's stand-in), for the local server's timer. */
export interface LocalNoticeDrainer {
  file: string;
  /** The calls store it claims per-call keys in (the local spool replay claims them too). */
  calls: CallStore;
  drain(): Promise<NoticeDrainResult>;
}

export function localNoticeDrainer(
  localOutbox: string,
  doc: DynamoDBDocumentClient,
  tables: Config['tables'],
  now: () => Date = () => new Date(),
): LocalNoticeDrainer {
  const queue = new FileNoticeQueue(localNoticeFile(localOutbox), now);
  const calls = new DynamoCallStore(doc, tables.calls);
  const deps = {
    notifier: new OutboxNotifier(localOutbox, now),
    pager: new OutboxPager(localOutbox, now),
    tickets: new DynamoTicketStore(doc, tables.tickets),
    calls,
    now,
  };
  return { file: queue.file, calls, drain: () => queue.drain((record) => deliverNotice(record, deps)) };
}
