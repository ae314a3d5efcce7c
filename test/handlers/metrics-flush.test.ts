/**
 * Business metrics reach CloudWatch: the voice entry built by `createHandler(env)` for AWS (no local
 * outbox) writes the metrics a webhook step recorded as one embedded-metric-format line on stdout after
 * that step, with the namespace, dimension and name the stack's alarm watches (lib/voice-stack.ts), and
 * nothing after a step that recorded none. Before the flush existed, `addMetric` only filled a buffer.
 */
import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadDirectory } from '../../functions/adapters/dynamodb/directory.js';
import { createHandler } from '../../functions/handlers/voice.js';
import { observability } from '../../functions/handlers/observability.js';
import { twilioWebhook } from '../../functions/middleware/twilio-webhook.js';
import type { HttpResult } from '../../functions/middleware/types.js';
import { build, DEV_CONTEXT } from '../infra/fixture.js';
import { startDynamo, type EmbeddedDynamo } from '../support/embedded-dynamo.js';
import { ACCOUNTS, lineData, LINES, PHONES } from '../support/line-data.js';
import { AUTH_TOKEN, BASE_URL, CODE_KEY, lambdaContext, newCallSid, parseAnswer, relative, twilioEvent, type Answer } from '../support/voice-harness.js';

const sns = mockClient(SNSClient);
const ses = mockClient(SESv2Client);
let db: EmbeddedDynamo;

beforeAll(async () => {
  db = await startDynamo();
  // Technical support is open 24/7 on the direct line; no holiday either, so the real date cannot close it.
  await loadDirectory(db.doc, db.tables.directory, { ...lineData(), holidays: {} });
  sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
});
afterAll(async () => {
  sns.restore();
  ses.restore();
  await db?.stop();
});
afterEach(() => vi.restoreAllMocks());

interface Emf {
  _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  [key: string]: unknown;
}

/** What the step wrote to stdout, split into EMF documents and the rest. */
async function captured<T>(step: () => Promise<T>): Promise<{ result: T; emf: Emf[]; other: string[] }> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    const result = await step();
    const emf = lines.filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l) as Emf);
    return { result, emf, other: lines.filter((l) => !l.includes('"_aws"')) };
  } finally {
    write.mockRestore();
  }
}

describe('metrics flush (AWS mode)', () => {
  it('a wrong verification code writes one VerificationFailed EMF line, as the alarm reads it; steps without a metric write none', async () => {
    const env = {
      TABLE_DIRECTORY: db.tables.directory,
      TABLE_CALLS: db.tables.calls,
      TABLE_TICKETS: db.tables.tickets,
      DYNAMODB_ENDPOINT: db.endpoint,
      AWS_REGION: 'us-east-1',
      PUBLIC_BASE_URL: BASE_URL,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      CODE_HASH_KEY: CODE_KEY,
      POWERTOOLS_LOG_LEVEL: 'ERROR', // the step logs are not what this test reads
    };
    const handler = createHandler(env);
    const callSid = newCallSid();
    const params = (more: Record<string, string>) => ({
      AccountSid: `AC${'0'.repeat(32)}`,
      CallSid: callSid,
      CallStatus: 'in-progress',
      Direction: 'inbound',
      From: PHONES.stranger,
      To: LINES.direct,
      ...more,
    });
    const post = async (url: string, more: Record<string, string>): Promise<Answer> =>
      parseAnswer((await handler(twilioEvent({ url, params: params(more) }), lambdaContext)) as HttpResult);
    const next = (a: Answer, digits: string) => post(relative(a.gather!.attrs.action!), { Digits: digits });

    // An unknown caller: account number, then the code by text, then a wrong code.
    const quiet = await captured(async () => {
      let a = await post('/twilio/voice', { CallStatus: 'ringing' });
      a = await next(a, ACCOUNTS.contoso);
      return next(a, '1');
    });
    expect(quiet.result.says.join(' ')).toContain('Please enter the 6 digit code.');
    expect(quiet.emf).toEqual([]);
    expect(quiet.other.join('\n')).not.toMatch(/No application metrics/);

    const code = /code is (\d{6})/.exec(String(sns.commandCalls(PublishCommand).at(-1)?.args[0].input.Message))?.[1];
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === '000000' ? '111111' : '000000';
    const failed = await captured(() => next(quiet.result, wrong));
    expect(failed.result.status).toBe(200);
    expect(failed.emf).toHaveLength(1);
    const [line] = failed.emf;
    expect(line!.VerificationFailed).toBe(1);

    // The very metric the stack's alarm watches: namespace, name and dimension.
    const alarm = Object.values(build(DEV_CONTEXT).json.Resources).find(
      (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties?.MetricName === 'VerificationFailed',
    )!.Properties!;
    const [definition] = line!._aws.CloudWatchMetrics;
    expect(definition!.Namespace).toBe(alarm.Namespace);
    expect(definition!.Metrics).toContainEqual({ Name: alarm.MetricName, Unit: 'Count' });
    for (const d of alarm.Dimensions as Array<{ Name: string; Value: string }>) {
      expect(definition!.Dimensions.flat()).toContain(d.Name);
      expect(line![d.Name]).toBe(d.Value);
    }

    // Flushed means emptied: the next step, recording nothing, writes nothing.
    const after = await captured(() => next(failed.result, ''));
    expect(after.emf).toEqual([]);
  }, 120_000);

  it('a step that fails after recording a metric still writes it (the caller hears the apology)', async () => {
    const obs = observability('voice', false, 'ERROR');
    const stack = twilioWebhook(
      async () => {
        obs.metric('TopPriorityTicket');
        throw new Error('store down');
      },
      { authToken: async () => AUTH_TOKEN, publicBaseUrl: BASE_URL, flushMetrics: obs.flush },
    );
    const event = twilioEvent({ url: '/twilio/call/priority', params: { CallSid: newCallSid(), From: PHONES.stranger, To: LINES.direct } });
    const { result, emf } = await captured(async () => parseAnswer((await stack(event, lambdaContext)) as HttpResult));
    expect(result.status).toBe(200);
    expect(result.says.length).toBeGreaterThan(0);
    expect(emf.map((l) => [l._aws.CloudWatchMetrics[0]!.Namespace, l.TopPriorityTicket, l.service])).toEqual([['SupportLine', 1, 'support-line']]);
  });
});
