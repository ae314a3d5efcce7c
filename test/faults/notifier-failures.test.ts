/**
 * SNS or SES failing (mocked SDK clients rejecting, behind the real notifiers): a caller whose code could
 * not be sent by one channel gets it by the other, told so; with both failing the caller is told to call
 * again; a failed ticket confirmation costs the caller nothing. Commands are asserted exactly.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChannelNotifier } from '../../functions/adapters/notifier.js';
import { SnsSmsNotifier } from '../../functions/adapters/sns/sms-notifier.js';
import { SesEmailNotifier } from '../../functions/adapters/ses/email-notifier.js';
import { benchData, callerKeys, LINE } from '../support/fixtures.js';
import { placeCall, type CallRecord } from '../../bench/lib/caller.js';
import { startDynamo, type EmbeddedDynamo as EmbeddedDb } from '../support/embedded-dynamo.js';
import { inProcessLine, newCallSid, type InProcessLine } from '../../bench/lib/in-process.js';
import { heardTicketNumber } from '../../bench/lib/recording-notifier.js';

const FROM = 'Support <support@example.com>';
const sns = mockClient(SNSClient);
const ses = mockClient(SESv2Client);
const bd = benchData({ registered: 5, coded: 5 });
let db: EmbeddedDb;
let line: InProcessLine;

beforeAll(async () => {
  db = await startDynamo();
  const notifier = new ChannelNotifier({
    sms: new SnsSmsNotifier(new SNSClient({ region: 'us-east-1' })),
    email: new SesEmailNotifier(new SESv2Client({ region: 'us-east-1' }), { from: FROM }),
  });
  line = await inProcessLine({ db, data: bd.data, overrides: { notifier } });
});
afterAll(async () => db.stop());
beforeEach(() => {
  sns.reset();
  ses.reset();
});

const smsRefused = () =>
  sns.on(PublishCommand).rejects(Object.assign(new Error('No origination entities available to send'), { name: 'InvalidParameterException' }));
const emailRefused = () => ses.on(SendEmailCommand).rejects(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }));

const publish = (to: string, body: string) => ({
  PhoneNumber: to,
  Message: body,
  MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
});
const email = (to: string, subject: string, body: string) => ({
  FromEmailAddress: FROM,
  Destination: { ToAddresses: [to] },
  Content: { Simple: { Subject: { Data: subject, Charset: 'UTF-8' }, Body: { Text: { Data: body, Charset: 'UTF-8' } } } },
});
const smsCode = (code: string) => `Your support line verification code is ${code}. It is valid for 10 minutes. Never share it.`;
const emailCode = (code: string) =>
  `Your verification code is ${code}.\nIt is valid for 10 minutes and can be used once.\nIf you did not call our support line, you can ignore this email.`;
const codeIn = (text: string | undefined) => /\b(\d{6})\b/.exec(text ?? '')?.[1] ?? 'none';

function expectAllSpoken(call: CallRecord): void {
  expect(call.error).toBeUndefined();
  for (const r of call.requests) {
    expect(r.status).toBe(200);
    expect(r.said.length).toBeGreaterThan(0);
  }
}

async function ticketsOf(callSid: string) {
  const out = await db.doc.send(
    new ScanCommand({
      TableName: db.tables.tickets,
      FilterExpression: 'callSid = :c AND sk = :t',
      ExpressionAttributeValues: { ':c': callSid, ':t': 'TICKET' },
    }),
  );
  return out.Items ?? [];
}

describe('SNS or SES failing', () => {
  it('SNS refuses the code: the caller is told and gets it by email instead, and goes on to a ticket', async () => {
    smsRefused();
    ses.on(SendEmailCommand).resolves({ MessageId: 'e-1' });
    const c = bd.coded[0]!;
    const emailed = () => codeIn(ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Simple?.Body?.Text?.Data);
    const call = await placeCall(line.send, {
      callSid: newCallSid(),
      to: LINE,
      from: c.phone,
      keys: callerKeys({ account: c.account, channel: '1', code: emailed, priority: '3' }),
    });
    expectAllSpoken(call);
    const heard = call.heard.join(' | ');
    expect(heard).toMatch(/could not send the code by text message/);
    expect(heard).toMatch(/sent a verification code by email to i…@code-0\.example/);
    expect(call.end).toBe('enqueue');
    const number = heardTicketNumber(call.heard)!;
    expect(await ticketsOf(call.callSid)).toEqual([expect.objectContaining({ number, verifiedBy: 'code', org: c.org })]);

    const code = emailed();
    expect(sns.commandCalls(PublishCommand).map((x) => x.args[0].input)).toEqual([publish(c.contact, expect.stringContaining('verification code is'))]);
    expect(codeIn(sns.commandCalls(PublishCommand)[0]!.args[0].input.Message)).not.toBe(code); // the refused code is not the one that works
    const sent = ses.commandCalls(SendEmailCommand).map((x) => x.args[0].input);
    expect(sent[0]).toEqual(email(c.email, 'Your support line verification code', emailCode(code)));
    // The confirmation goes by the channel the caller was verified on.
    expect(sent[1]).toEqual(
      email(
        c.email,
        `Support ticket ${number} (P3)`,
        expect.stringContaining(`Support ticket ${number} (P3, technical support) was opened by phone for Coded 0.`),
      ),
    );
    expect(sent).toHaveLength(2);
  });

  it('SES refuses the code: the caller who chose email gets it by text message instead', async () => {
    emailRefused();
    sns.on(PublishCommand).resolves({ MessageId: 's-1' });
    const c = bd.coded[1]!;
    const texted = () => codeIn(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message);
    const call = await placeCall(line.send, {
      callSid: newCallSid(),
      to: LINE,
      from: c.phone,
      keys: callerKeys({ account: c.account, channel: '2', code: texted, priority: '3' }),
    });
    expectAllSpoken(call);
    expect(call.heard.join(' | ')).toMatch(/could not send the code by email.*sent a verification code by text message to the phone ending in/);
    expect(call.end).toBe('enqueue');
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toEqual(
      email(c.email, 'Your support line verification code', expect.stringContaining('Your verification code is')),
    );
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toEqual(publish(c.contact, smsCode(texted())));
    expect(await ticketsOf(call.callSid)).toHaveLength(1);
  });

  it('both refuse: the caller is told to call again, politely, and nothing is left half done', async () => {
    smsRefused();
    emailRefused();
    const c = bd.coded[2]!;
    const call = await placeCall(line.send, {
      callSid: newCallSid(),
      to: LINE,
      from: c.phone,
      keys: callerKeys({ account: c.account, channel: '1', code: () => '000000', priority: '3' }),
    });
    expectAllSpoken(call);
    expect(call.end).toBe('hangup');
    expect(call.heard.at(-1)).toMatch(/could not send a verification code right now\. Please call again/);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(await ticketsOf(call.callSid)).toEqual([]);
  });

  it('a refused ticket confirmation costs the caller nothing: the number is read out and the caller waits for an agent', async () => {
    smsRefused();
    const r = bd.registered[0]!;
    const call = await placeCall(line.send, { callSid: newCallSid(), to: LINE, from: r.phone, keys: callerKeys({ priority: '2' }) });
    expectAllSpoken(call);
    expect(call.end).toBe('enqueue');
    const number = heardTicketNumber(call.heard)!;
    expect(sns.commandCalls(PublishCommand).map((x) => x.args[0].input)).toEqual([
      publish(r.phone, expect.stringContaining(`Support ticket ${number} (P2, technical support)`)),
    ]); // contract v2 §2.10: the service's spoken name
    expect(await ticketsOf(call.callSid)).toEqual([expect.objectContaining({ number, status: 'waiting' })]);
  });
});
