/**
 * The caller's webhooks in-process, as Lambda runs them: the real middy stack (`twilioWebhook`) around
 * `voiceWebhook`, with dependencies from `buildDeps(parseConfig(env, 'voice'), ...)` and the real SNS/SES
 * notifiers over mocked SDK clients. The stores are the in-memory fakes (test/support/fakes/, held to the
 * DynamoDB adapters by test/contract/) unless a test asks for the embedded DynamoDB (`dynamo`/`dynamodb`),
 * where the data file is loaded with `loadDirectory`. Requests are API Gateway v2 events signed with the
 * twilio library, as Twilio signs them.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { voiceWebhook } from '../../functions/app/voice-webhook.js';
import { twilioWebhook } from '../../functions/middleware/twilio-webhook.js';
import { buildDeps } from '../../functions/wiring.js';
import { parseConfig } from '../../functions/config.js';
import { loadDirectory } from '../../functions/adapters/dynamodb/directory.js';
import { createTables } from '../../functions/adapters/dynamodb/create-tables.js';
import { ChannelNotifier } from '../../functions/adapters/notifier.js';
import { SnsSmsNotifier } from '../../functions/adapters/sns/sms-notifier.js';
import { SesEmailNotifier } from '../../functions/adapters/ses/email-notifier.js';
import { validateSupportData } from '../../functions/data/validate.js';
import type { FlowDeps } from '../../functions/app/deps.js';
import type { SupportData } from '../../functions/domain/model.js';
import type { OutgoingMessage } from '../../functions/ports.js';
import type { HttpResult } from '../../functions/middleware/types.js';
import { childElements, parseTwiml, textOf, type TwimlElement } from '../../local/twiml-parse.js';
import { startDynamo, type EmbeddedDynamo } from './embedded-dynamo.js';
import { fakeStores, type FakeStores } from './fakes/index.js';
import { lineData } from './line-data.js';
import { httpApiEvent } from '../../local/http-api-event.js';

export const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
export const BASE_URL = 'https://support.example.com';
export const CODE_KEY = 'test-code-hash-key';
export const SES_FROM = 'Support <support@example.com>';
/** Wednesday 2026-05-13 11:00 in New York, 17:00 in Warsaw: every service is open. */
export const WEDNESDAY_11_NY = Date.parse('2026-05-13T15:00:00Z');

/** A Lambda context with time to spare, so middy's early-timeout answer never fires in tests. */
export const lambdaContext = { getRemainingTimeInMillis: () => 30_000, functionName: 'voice', awsRequestId: 'test' } as unknown as Context;

/** One turn of the event loop: the harnesses' `sleep`. */
export const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

import { newCallSid } from './fixtures.js';
export { newCallSid };

export interface EventOptions {
  /** Path and query of the URL Twilio requests (relative to the base URL). */
  url: string;
  params: Record<string, string>;
  /** Token to sign with; default AUTH_TOKEN. */
  token?: string;
  /** URL the signature covers; default base + url. */
  signedUrl?: string;
  /** `false` leaves the signature header out. */
  sign?: boolean;
  /** Raw body instead of the form-encoded params. */
  body?: string;
  contentType?: string | null;
  base64?: boolean;
  headers?: Record<string, string>;
}

/** An API Gateway HTTP API (v2) event as Twilio's request would arrive, path parameters from the routing table. */
export function twilioEvent(o: EventOptions, baseUrl = BASE_URL): APIGatewayProxyEventV2 {
  const body = o.body ?? new URLSearchParams(o.params).toString();
  const headers: Record<string, string> = { host: new URL(baseUrl).host, ...(o.headers ?? {}) };
  if (o.contentType !== null) headers['content-type'] = o.contentType ?? 'application/x-www-form-urlencoded';
  if (o.sign !== false) {
    headers['x-twilio-signature'] = getExpectedTwilioSignature(o.token ?? AUTH_TOKEN, o.signedUrl ?? baseUrl + o.url, o.params);
  }
  return httpApiEvent({ method: 'POST', target: o.url, host: new URL(baseUrl).host, headers, body, base64: o.base64, sourceIp: '54.172.60.1' });
}

/** A parsed TwiML answer with the parts tests look at. */
export interface Answer {
  status: number;
  xml: string;
  root: TwimlElement;
  /** Names of the top-level verbs, in order. */
  verbs: string[];
  /** Every Say text in document order (inside Gathers too). */
  says: string[];
  /** The `language` of every Say, in the same order. */
  languages: string[];
  /** The `voice` of every Say, in the same order. */
  voices: string[];
  gather?: TwimlElement;
  enqueue?: TwimlElement;
  hangup: boolean;
}

export function parseAnswer(res: HttpResult): Answer {
  const xml = String(res.body ?? '');
  const root = parseTwiml(xml);
  if (root.name !== 'Response') throw new Error(`not a TwiML Response: ${xml}`);
  const all: TwimlElement[] = [];
  const walk = (el: TwimlElement) => {
    for (const c of childElements(el)) {
      if (c.name === 'Say') all.push(c);
      else walk(c);
    }
  };
  walk(root);
  const top = childElements(root);
  return {
    status: res.statusCode ?? 0,
    xml,
    root,
    verbs: top.map((v) => v.name),
    says: all.map(textOf),
    languages: all.map((s) => s.attrs.language ?? ''),
    voices: all.map((s) => s.attrs.voice ?? ''),
    gather: top.find((v) => v.name === 'Gather'),
    enqueue: top.find((v) => v.name === 'Enqueue'),
    hangup: top.some((v) => v.name === 'Hangup'),
  };
}

/** Says directly inside a Gather (spoken while the caller may already press keys). */
export function gatherSays(gather: TwimlElement): string[] {
  return childElements(gather, 'Say').map(textOf);
}

/** Step name and sequence number of the current Gather's action (other query parameters are the flow's own). */
export function stepOf(a: Answer): { step: string; s: number } {
  const action = a.gather?.attrs.action;
  if (!action) throw new Error(`no Gather action in ${a.xml}`);
  const url = new URL(action);
  if (url.origin !== new URL(BASE_URL).origin) throw new Error(`${action} is not under ${BASE_URL}`);
  return { step: url.pathname.replace('/twilio/call/', ''), s: Number(url.searchParams.get('s')) };
}

/** The path + query of an absolute URL under the base URL. */
export function relative(url: string, baseUrl = BASE_URL): string {
  if (!url.startsWith(baseUrl)) throw new Error(`${url} is not under ${baseUrl}`);
  return url.slice(baseUrl.length);
}

export interface HarnessOptions {
  data?: SupportData;
  /** Extra environment for parseConfig (TaskRouter sids). */
  env?: Record<string, string>;
  /** Start time; default WEDNESDAY_11_NY. */
  now?: number;
  /** Reuse a running embedded DynamoDB: the harness creates tables of its own in it, so tests stay isolated. */
  dynamo?: EmbeddedDynamo;
  /** Start an embedded DynamoDB of its own instead of the in-memory fakes. */
  dynamodb?: boolean;
}

export interface Harness {
  /** The embedded DynamoDB and its tables, when the harness runs on one (else the fakes are `fakes`). */
  dynamo?: EmbeddedDynamo;
  doc?: DynamoDBDocumentClient;
  tables?: EmbeddedDynamo['tables'];
  fakes?: FakeStores;
  deps: FlowDeps;
  handler: (event: APIGatewayProxyEventV2) => Promise<HttpResult>;
  clock: { now: number };
  sns: AwsClientStub<SNSClient>;
  ses: AwsClientStub<SESv2Client>;
  post(o: EventOptions): Promise<Answer>;
  call(from: string, to: string, extra?: Record<string, string>): TestCall;
  scan(table: 'calls' | 'tickets' | 'directory'): Promise<Array<Record<string, unknown>>>;
  tickets(): Promise<Array<Record<string, unknown>>>;
  /** Bodies of the text messages SNS was asked to publish, in order, with the number. */
  texts(): Array<{ to: string; body: string }>;
  emails(): Array<{ to: string; subject: string; body: string }>;
  /** Texts and emails that SNS/SES accepted, in the order they were sent. */
  delivered: OutgoingMessage[];
  /** The 6-digit code in the last text or email sent. */
  lastCode(): string;
  stop(): Promise<void>;
}

/** The embedded DynamoDB with fresh tables and the data file loaded, for harnesses that ask for one. */
async function dynamoFor(o: HarnessOptions, data: SupportData): Promise<{ dynamo: EmbeddedDynamo; tables: EmbeddedDynamo['tables'] }> {
  const dynamo = o.dynamo ?? (await startDynamo());
  let tables = dynamo.tables;
  if (o.dynamo) {
    const suffix = randomBytes(4).toString('hex');
    tables = { directory: `directory-${suffix}`, calls: `calls-${suffix}`, tickets: `tickets-${suffix}` };
    await createTables(dynamo.client, tables);
  }
  await loadDirectory(dynamo.doc, tables.directory, data);
  return { dynamo, tables };
}

const FAKE_TABLES = { directory: 'fake-directory', calls: 'fake-calls', tickets: 'fake-tickets' };

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const data = o.data ?? lineData();
  const checked = validateSupportData(data);
  if (!checked.ok) throw new Error(`test data is invalid: ${JSON.stringify(checked.problems)}`);
  const real = o.dynamo || o.dynamodb ? await dynamoFor(o, checked.data) : undefined;
  const fakes = real ? undefined : await fakeStores(checked.data);
  const tables = real?.tables ?? FAKE_TABLES;

  const env = {
    TABLE_DIRECTORY: tables.directory,
    TABLE_CALLS: tables.calls,
    TABLE_TICKETS: tables.tickets,
    ...(real ? { DYNAMODB_ENDPOINT: real.dynamo.endpoint } : {}),
    AWS_REGION: 'us-east-1',
    PUBLIC_BASE_URL: BASE_URL,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    CODE_HASH_KEY: CODE_KEY,
    SES_FROM,
    ...o.env,
  };
  const config = parseConfig(env, 'voice');
  const snsClient = new SNSClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const sesClient = new SESv2Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const sns = mockClient(snsClient);
  const ses = mockClient(sesClient);
  sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
  const channels = new ChannelNotifier({ sms: new SnsSmsNotifier(snsClient), email: new SesEmailNotifier(sesClient, { from: SES_FROM }) });
  // The real notifiers over the mocked clients; `delivered` keeps what went out, in order across channels.
  const delivered: OutgoingMessage[] = [];
  const notifier = { send: async (m: OutgoingMessage) => (await channels.send(m), void delivered.push(m)) };
  const clock = { now: o.now ?? WEDNESDAY_11_NY };
  // A twin request's wait for the first one's answer yields instead of sleeping: counted in turns, not in
  // real milliseconds, so no test depends on the machine's speed.
  // The request budget on the real clock is the fault tests' subject (test/faults); here a loaded machine must not trip it.
  const { deps } = buildDeps(config, {
    doc: real?.dynamo.doc,
    stores: fakes,
    notifier,
    now: () => new Date(clock.now),
    sleep: yieldTurn,
    storeDeadlineMs: 60_000,
  });
  const stack = twilioWebhook(voiceWebhook(deps), { authToken: async () => AUTH_TOKEN, publicBaseUrl: config.publicBaseUrl });
  const handler = async (event: APIGatewayProxyEventV2) => (await stack(event, lambdaContext)) as HttpResult;

  const scan = async (t: 'calls' | 'tickets' | 'directory') => {
    if (!real) {
      if (t === 'directory') throw new Error('the in-memory directory has no items to scan');
      return fakes!.tables[t].scan();
    }
    const { dynamo } = real;
    const items: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.doc.send(new ScanCommand({ TableName: tables[t], ExclusiveStartKey: start, ConsistentRead: true }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  };
  const texts = () => sns.commandCalls(PublishCommand).map((c) => ({ to: String(c.args[0].input.PhoneNumber), body: String(c.args[0].input.Message) }));
  const emails = () =>
    ses.commandCalls(SendEmailCommand).map((c) => {
      const i = c.args[0].input;
      return {
        to: String(i.Destination?.ToAddresses?.[0]),
        subject: String(i.Content?.Simple?.Subject?.Data),
        body: String(i.Content?.Simple?.Body?.Text?.Data),
      };
    });
  const h: Harness = {
    dynamo: real?.dynamo,
    doc: real?.dynamo.doc,
    tables: real?.tables,
    fakes,
    deps,
    handler,
    clock,
    sns,
    ses,
    post: async (e) => parseAnswer(await handler(twilioEvent(e))),
    call: (from, to, extra) => new TestCall(h, from, to, extra),
    scan,
    tickets: async () => (await scan('tickets')).filter((i) => String(i.pk).startsWith('TICKET#')),
    texts,
    emails,
    delivered,
    lastCode: () => {
      const codes = delivered.map((m) => /code is (\d{6})/.exec(m.body)?.[1]).filter((c): c is string => !!c);
      if (!codes.length) throw new Error('no code was sent');
      return codes.at(-1)!;
    },
    stop: async () => {
      sns.restore();
      ses.restore();
      if (real && !o.dynamo) await real.dynamo.stop();
    },
  };
  return h;
}

/** One call, driven the way Twilio follows TwiML: start, then answer each Gather at its action URL. */
export class TestCall {
  readonly callSid = newCallSid();
  readonly accountSid = `AC${'0'.repeat(32)}`;
  last?: Answer;
  /** URLs requested, relative. */
  readonly requested: string[] = [];

  constructor(
    private readonly h: Harness,
    readonly from: string,
    readonly to: string,
    readonly extra: Record<string, string> = {},
  ) {}

  params(more: Record<string, string> = {}): Record<string, string> {
    return {
      AccountSid: this.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: this.callSid,
      CallStatus: 'in-progress',
      Direction: 'inbound',
      From: this.from,
      To: this.to,
      ...this.extra,
      ...more,
    };
  }

  async start(): Promise<Answer> {
    return this.request('/twilio/voice', this.params({ CallStatus: 'ringing' }));
  }

  /** The relative action URL of the current Gather. */
  get action(): string {
    const g = this.last?.gather;
    if (!g) throw new Error(`no Gather to answer in ${this.last?.xml}`);
    return relative(g.attrs.action!);
  }

  /** Presses keys at the current Gather (Twilio posts Digits, and FinishedOnKey when one ended the input). */
  async press(digits: string): Promise<Answer> {
    const g = this.last?.gather;
    const url = this.action;
    const finish = g?.attrs.finishOnKey;
    return this.request(url, this.params({ Digits: digits, ...(finish ? { FinishedOnKey: finish } : {}) }));
  }

  /** Lets the current Gather time out (actionOnEmptyResult: Twilio posts without digits). */
  async silence(): Promise<Answer> {
    return this.request(this.action, this.params({ Digits: '' }));
  }

  /** Posts to any URL of this call (skipping steps, replays). Does not change `last` unless `follow`. */
  async postTo(url: string, more: Record<string, string> = {}, follow = false): Promise<Answer> {
    const a = await this.h.post({ url, params: this.params(more) });
    if (follow) this.last = a;
    return a;
  }

  private async request(url: string, params: Record<string, string>): Promise<Answer> {
    this.requested.push(url);
    const a = await this.h.post({ url, params });
    this.last = a;
    return a;
  }
}
