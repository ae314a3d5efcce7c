/**
 * The notice queue as on AWS: the voice function's SQS FIFO sender and the `notice-replay` Lambda entry
 * (functions/handlers/notice-replay.ts) over mocked SNS and SQS clients, with exact commands, on the
 * embedded DynamoDB. A confirmation SNS refuses is queued under the call's key and sent once by the
 * consumer; Twilio's retries during a DynamoDB outage queue copies under one deduplication id, and the
 * consumer sends one confirmation for all of them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoCallStore } from '../../functions/adapters/dynamodb/call-store.js';
import { DynamoTicketStore } from '../../functions/adapters/dynamodb/ticket-store.js';
import { SqsNoticeQueue } from '../../functions/adapters/notice-queue/sqs-notice-queue.js';
import { ChannelNotifier } from '../../functions/adapters/notifier.js';
import { SnsSmsNotifier } from '../../functions/adapters/sns/sms-notifier.js';
import { FileTicketSpool } from '../../functions/adapters/spool/file-spool.js';
import { parseNoticeRecord } from '../../functions/app/notice-replay.js';
import { replaySpooledTicket } from '../../functions/app/spool-replay.js';
import { createHandler } from '../../functions/handlers/notice-replay.js';
import { benchData, callerKeys, LINE } from '../support/fixtures.js';
import { placeCall, type Keys } from '../../bench/lib/caller.js';
import { dynamoProbe, type DynamoProbe } from '../../bench/lib/dynamo-probe.js';
import { inProcessLine, newCallSid, type InProcessLine } from '../../bench/lib/in-process.js';
import { heardReference, heardTicketNumber } from '../../bench/lib/recording-notifier.js';
import { startDynamo, type EmbeddedDynamo } from '../support/embedded-dynamo.js';

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/support-notices.fifo';
const sns = mockClient(SNSClient);
const sqs = mockClient(SQSClient);
const bd = benchData({ registered: 4, coded: 0 });
let db: EmbeddedDynamo;
let probe: DynamoProbe;
let line: InProcessLine;
let spool: FileTicketSpool;
/** The last request of each call, to post again as Twilio's retry would. */
const last = new Map<string, { url: string; params: Record<string, string> }>();

beforeAll(async () => {
  db = await startDynamo();
  probe = dynamoProbe(db.endpoint);
  spool = new FileTicketSpool(join(mkdtempSync(join(tmpdir(), 'notices-sqs-')), 'spool.jsonl'));
  const notifier = new ChannelNotifier({ sms: new SnsSmsNotifier(new SNSClient({ region: 'us-east-1' })) });
  line = await inProcessLine({
    db,
    data: bd.data,
    doc: probe.doc,
    overrides: { notifier, spool, notices: new SqsNoticeQueue(QUEUE, { region: 'us-east-1' }) },
  });
  const send = line.send;
  line.send = async (url, p) => {
    last.set(p.CallSid!, { url, params: p });
    return send(url, p);
  };
});
afterAll(async () => {
  probe.client.destroy();
  await db.stop();
});
beforeEach(() => {
  sns.reset();
  sqs.reset();
});
afterEach(() => {
  probe.fault = undefined;
});

/** The notice-replay Lambda, configured as the stack configures it (its tables, no secret). */
const consumer = () =>
  createHandler({ TABLE_CALLS: db.tables.calls, TABLE_TICKETS: db.tables.tickets, DYNAMODB_ENDPOINT: db.endpoint, AWS_REGION: 'us-east-1' });
const event = (bodies: string[]): SQSEvent => ({ Records: bodies.map((body, i) => ({ messageId: `m-${i}`, body })) }) as unknown as SQSEvent;
const queuedBodies = () => sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input.MessageBody!);
const smsRefused = () => sns.on(PublishCommand).rejects(Object.assign(new Error('Throttled'), { name: 'ThrottledException' }));
const confirmationTo = (to: string, number: string) => ({
  PhoneNumber: to,
  Message: expect.stringContaining(`Support ticket ${number} (`),
  MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
});

function at(pattern: RegExp, keys: Keys, atPrompt: () => void): Keys {
  let done = false;
  return async (prompt, attrs) => {
    if (!done && pattern.test(prompt) && /press/i.test(prompt)) {
      done = true;
      atPrompt();
    }
    return keys(prompt, attrs);
  };
}

describe('notice queue on SQS FIFO', () => {
  it('SNS refuses the confirmation: it is queued under the call key (the caller hears details follow), the consumer sends it, and no other copy', async () => {
    smsRefused();
    sqs.on(SendMessageCommand).resolves({ MessageId: 'q-1' });
    const caller = bd.registered[0]!;
    const call = await placeCall(line.send, { callSid: newCallSid(), to: LINE, from: caller.phone, keys: callerKeys({ priority: '2' }) });
    const number = heardTicketNumber(call.heard)!;
    expect(number, call.heard.join(' | ')).toMatch(/^\d{7}$/);
    expect(call.heard.join(' ')).toContain('Details follow by text.');
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input)).toEqual([confirmationTo(caller.phone, number)]);
    const sent = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(sent).toEqual([
      {
        QueueUrl: QUEUE,
        MessageBody: expect.any(String),
        MessageGroupId: `confirm#${call.callSid}`,
        MessageDeduplicationId: `confirm#${call.callSid}`,
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'confirmation' }, callSid: { DataType: 'String', StringValue: call.callSid } },
      },
    ]);
    expect(parseNoticeRecord(sent[0]!.MessageBody!).notice).toMatchObject({
      kind: 'confirmation',
      ticket: number,
      message: { channel: 'sms', to: caller.phone },
    });

    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    const handler = consumer();
    expect(await handler(event(queuedBodies()))).toEqual({ batchItemFailures: [] });
    // SQS redelivers the same message (at least once): it holds the key, so it may; a second copy may not.
    expect(await handler(event(queuedBodies()))).toEqual({ batchItemFailures: [] });
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input)).toEqual([confirmationTo(caller.phone, number), confirmationTo(caller.phone, number)]);
    const copy = JSON.stringify({ ...parseNoticeRecord(queuedBodies()[0]!), id: 'another-copy' });
    expect(await handler(event([copy]))).toEqual({ batchItemFailures: [] });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  it('SNS and SQS both refuse: the caller hears the confirmation could not be sent', async () => {
    smsRefused();
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable' }));
    const caller = bd.registered[1]!;
    const call = await placeCall(line.send, { callSid: newCallSid(), to: LINE, from: caller.phone, keys: callerKeys({ priority: '2' }) });
    const number = heardTicketNumber(call.heard)!;
    expect(number, call.heard.join(' | ')).toMatch(/^\d{7}$/);
    expect(call.heard.join(' ')).toContain('We could not send a confirmation to your organization.');
    expect(call.heard.join(' ')).not.toContain('Details follow');
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
  });

  it('DynamoDB refusing while Twilio retries the priority step 3 times: 4 copies under one deduplication id, one confirmation sent', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'q-1' });
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    const caller = bd.registered[2]!;
    const call = await placeCall(line.send, {
      callSid: newCallSid(),
      to: LINE,
      from: caller.phone,
      keys: at(/priority/i, callerKeys({ priority: '3' }), () => void (probe.fault = 'refused')),
    });
    const ref = heardReference(call.heard)!;
    expect(ref, call.heard.join(' | ')).toMatch(/^9\d{8}$/);
    expect(call.heard.join(' ')).toContain('A confirmation to your organization will follow shortly.');
    const retry = last.get(call.callSid)!;
    for (let i = 0; i < 3; i++) expect(heardReference([(await line.send(retry.url, retry.params)).body])).toBe(ref);
    probe.fault = undefined;
    expect(sns.commandCalls(PublishCommand)).toEqual([]); // nothing inline during the outage
    expect(sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input.MessageDeduplicationId)).toEqual(Array(4).fill(`confirm#${call.callSid}`));
    // Past SQS's 5-minute window every copy would be delivered: the consumer still sends one.
    const tickets = new DynamoTicketStore(db.doc, db.tables.tickets);
    await spool.drain((r) => replaySpooledTicket(r, tickets, new DynamoCallStore(db.doc, db.tables.calls)));
    expect(await consumer()(event(queuedBodies()))).toEqual({ batchItemFailures: [] });
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input)).toEqual([confirmationTo(caller.phone, ref)]);
    expect(await tickets.get(ref)).toMatchObject({ callSid: call.callSid, status: 'callback' });
  });
});
