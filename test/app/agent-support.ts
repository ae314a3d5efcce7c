/**
 * The agents' webhooks in-process, as Lambda runs them: the real middy stack around `agentWebhook` and
 * `statusWebhook`, dependencies from `buildDeps(parseConfig(env, 'agent'))` on the in-memory fakes of the
 * stores (test/support/fakes/, held to the DynamoDB adapters by test/contract/), and the real SNS/SES
 * notifiers over mocked SDK clients. Requests are signed with the twilio library.
 * Waiting callers are put in place through the ticket and call stores (their own flow is tested
 * elsewhere), so each test states exactly which tickets wait.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { SNSClient } from '@aws-sdk/client-sns';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { agentWebhook } from '../../functions/app/agent-webhook.js';
import { statusWebhook } from '../../functions/app/status-webhook.js';
import { voiceWebhook } from '../../functions/app/voice-webhook.js';
import type { AgentTicket } from '../../functions/app/agent-flow/index.js';
import { twilioWebhook } from '../../functions/middleware/twilio-webhook.js';
import { buildDeps } from '../../functions/wiring.js';
import { parseConfig } from '../../functions/config.js';
import { ChannelNotifier } from '../../functions/adapters/notifier.js';
import { SnsSmsNotifier } from '../../functions/adapters/sns/sms-notifier.js';
import { SesEmailNotifier } from '../../functions/adapters/ses/email-notifier.js';
import { validateSupportData } from '../../functions/data/validate.js';
import type { FlowDeps } from '../../functions/app/deps.js';
import type { SupportData } from '../../functions/domain/model.js';
import type { HttpResult } from '../../functions/middleware/types.js';
import { queueName, type Ticket } from '../../functions/domain/tickets.js';
import { childElements, parseTwiml, textOf, type TwimlElement } from '../../local/twiml-parse.js';
import { fakeStores, type FakeStores } from '../support/fakes/index.js';
import { httpApiEvent } from '../../local/http-api-event.js';
import { p1p4 } from '../support/fixtures.js';
import { yieldTurn } from '../support/voice-harness.js';

export const AUTH_TOKEN = 'agent-test-token-0123456789abcdef';
export const BASE_URL = 'https://support.example.com';
export const LINE = '+18887999666';
export const PL_LINE = '+48221234567';
export const AGENTS_LINE = '+15550100000';
export const AGENT_PHONE = '+15550100123';
export const FABRIKAM_PHONE = '+48601111222';
export const T0 = Date.parse('2026-05-13T15:00:00Z');
export const WORKSPACE = 'WS' + 'a'.repeat(32);
export const WORKFLOW = 'WW' + 'b'.repeat(32);

export const agentData: SupportData = {
  lines: [
    {
      number: LINE,
      countries: ['US'],
      language: 'en-US',
      timezone: 'America/New_York',
      extensions: { '2': 'technical', '3': 'billing' },
      defaultService: 'technical',
      scheme: 'p1-p4',
    },
    { number: PL_LINE, countries: ['PL'], language: 'pl-PL', timezone: 'Europe/Warsaw', defaultService: 'technical', scheme: 'p1-p4' },
  ],
  services: { technical: { hours: '24/7' }, billing: { hours: '24/7' } },
  schemes: { 'p1-p4': p1p4() },
  plans: {
    business: { phoneSupport: true, services: ['technical', 'billing'], roles: ['admin'] },
    premier: { phoneSupport: true, services: ['technical', 'billing'], roles: ['admin', 'member'], priorityQueue: true, notifyStatusChanges: true },
    engineering: { phoneSupport: true, services: ['technical'], roles: ['admin'], tier: 2 },
  },
  organizations: [
    {
      id: 'contoso',
      name: 'Contoso',
      account: '40012345',
      plan: 'business',
      verification: 'caller-id',
      contacts: { phone: '+48601234567', email: 'it@contoso.example' },
      people: [{ name: 'Ada', phone: '+48601234567', role: 'admin' }],
    },
    {
      id: 'fabrikam',
      name: 'Fabrikam',
      account: '40055555',
      plan: 'premier',
      verification: 'caller-id',
      contacts: { phone: FABRIKAM_PHONE },
      people: [{ name: 'Fay', phone: FABRIKAM_PHONE, role: 'admin' }],
    },
    {
      id: 'tailspin',
      name: 'Tailspin',
      account: '40077777',
      plan: 'engineering',
      verification: 'caller-id',
      contacts: { email: 'ops@tailspin.example' },
      people: [],
    },
  ],
  agents: {
    line: AGENTS_LINE,
    people: [
      { id: '1001', name: 'Sam', pin: '4321', languages: ['en-US'], services: ['technical', 'billing'] },
      { id: '1002', name: 'Ewa', pin: '2468', languages: ['pl-PL'], services: ['technical'] },
      { id: '1003', name: 'Kenji', pin: '135790', languages: ['en-US'], services: ['technical'], tier: 2 },
    ],
  },
};

import { newCallSid } from '../support/fixtures.js';
export { newCallSid };
const lambdaContext = { getRemainingTimeInMillis: () => 30_000, functionName: 'agent', awsRequestId: 'test' } as unknown as Context;

export interface Answer {
  status: number;
  contentType: string;
  body: string;
  root?: TwimlElement;
  says: string[];
  gather?: TwimlElement;
  dial?: TwimlElement;
  enqueue?: TwimlElement;
  hangup: boolean;
}

export function signedEvent(url: string, params: Record<string, string>, opts: { sign?: boolean; token?: string } = {}): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = { host: new URL(BASE_URL).host, 'content-type': 'application/x-www-form-urlencoded' };
  if (opts.sign !== false) headers['x-twilio-signature'] = getExpectedTwilioSignature(opts.token ?? AUTH_TOKEN, BASE_URL + url, params);
  return httpApiEvent({
    method: 'POST',
    target: url,
    host: new URL(BASE_URL).host,
    headers,
    body: new URLSearchParams(params).toString(),
    sourceIp: '54.172.60.1',
  });
}

export function parseAnswer(res: HttpResult): Answer {
  const body = String(res.body ?? '');
  const contentType = String((res.headers as Record<string, string> | undefined)?.['content-type'] ?? '');
  const out: Answer = { status: res.statusCode ?? 0, contentType, body, says: [], hangup: false };
  if (!contentType.startsWith('text/xml')) return out;
  const root = parseTwiml(body);
  const walk = (el: TwimlElement) => {
    for (const c of childElements(el)) {
      if (c.name === 'Say') out.says.push(textOf(c));
      else walk(c);
    }
  };
  walk(root);
  const top = childElements(root);
  return {
    ...out,
    root,
    gather: top.find((v) => v.name === 'Gather'),
    dial: top.find((v) => v.name === 'Dial'),
    enqueue: top.find((v) => v.name === 'Enqueue'),
    hangup: top.some((v) => v.name === 'Hangup'),
  };
}

/** The path and query of an absolute URL of ours. */
export function relative(url: string): string {
  if (!url.startsWith(BASE_URL)) throw new Error(`${url} is not under ${BASE_URL}`);
  return url.slice(BASE_URL.length);
}

export interface AgentHarness {
  fakes: FakeStores;
  deps: FlowDeps;
  clock: { now: number };
  sns: AwsClientStub<SNSClient>;
  ses: AwsClientStub<SESv2Client>;
  agent(url: string, params: Record<string, string>, opts?: { sign?: boolean }): Promise<Answer>;
  status(params: Record<string, string>): Promise<Answer>;
  /** The callers' webhooks, for the caller side of TaskRouter mode. */
  voice(url: string, params: Record<string, string>): Promise<Answer>;
  /** A caller waiting in the queue: their call state and their waiting ticket, as the caller flow leaves them. */
  waitingCaller(t: Partial<Ticket> & { org: string; priorityRank: number }): Promise<AgentTicket>;
  ticket(number: string): Promise<AgentTicket>;
  /** Places an agent call: start, then keys at each prompt (each entry one Gather's Digits). */
  agentCall(callSid?: string, from?: string): AgentCallDriver;
  stop(): Promise<void>;
}

export interface AgentCallDriver {
  callSid: string;
  last?: Answer;
  start(): Promise<Answer>;
  /** Answers the current Gather with `digits` (posted to its action, as Twilio does). */
  press(digits: string): Promise<Answer>;
  /** Twilio's Dial action after the bridge (or the empty queue). */
  dialEnded(params: Record<string, string>): Promise<Answer>;
  /** The Queue url of the current Dial, run by Twilio on the dequeued caller's leg. */
  bridge(callerCallSid: string): Promise<Answer>;
}

/** An agent call signed in with `id` and `pin` (the agents' line: start, then the id, then the PIN). */
export async function signedInAgent(h: AgentHarness, id = '1001', pin = '4321'): Promise<AgentCallDriver> {
  const call = h.agentCall();
  await call.start();
  await call.press(id);
  await call.press(pin);
  return call;
}

export async function startAgentHarness(o: { data?: SupportData; env?: Record<string, string> } = {}): Promise<AgentHarness> {
  const checked = validateSupportData(o.data ?? agentData);
  if (!checked.ok) throw new Error(`test data is invalid: ${JSON.stringify(checked.problems)}`);
  const fakes = await fakeStores(checked.data);
  const env = {
    TABLE_DIRECTORY: 'fake-directory',
    TABLE_CALLS: 'fake-calls',
    TABLE_TICKETS: 'fake-tickets',
    AWS_REGION: 'us-east-1',
    PUBLIC_BASE_URL: BASE_URL,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    CODE_HASH_KEY: 'agent-test-code-key',
    ...o.env,
  };
  const config = parseConfig(env, 'agent');
  const sns = mockClient(SNSClient);
  const ses = mockClient(SESv2Client);
  sns.onAnyCommand().resolves({ MessageId: 'm-1' });
  ses.onAnyCommand().resolves({ MessageId: 'e-1' });
  const notifier = new ChannelNotifier({
    sms: new SnsSmsNotifier(new SNSClient({ region: 'us-east-1' })),
    email: new SesEmailNotifier(new SESv2Client({ region: 'us-east-1' }), { from: 'support@example.com' }),
  });
  const clock = { now: T0 };
  const { deps } = buildDeps(config, { stores: fakes, notifier, now: () => new Date(clock.now), sleep: yieldTurn });
  const opts = { authToken: async () => AUTH_TOKEN, publicBaseUrl: BASE_URL };
  const agentHandler = twilioWebhook(agentWebhook(deps), opts);
  const statusHandler = twilioWebhook(statusWebhook(deps), opts);
  const voiceHandler = twilioWebhook(voiceWebhook(deps), opts);

  const agent = async (url: string, params: Record<string, string>, so: { sign?: boolean } = {}) =>
    parseAnswer(await agentHandler(signedEvent(url, params, so), lambdaContext));
  const status = async (params: Record<string, string>) => parseAnswer(await statusHandler(signedEvent('/twilio/status', params), lambdaContext));

  const harness: AgentHarness = {
    fakes,
    deps,
    clock,
    sns,
    ses,
    agent,
    status,
    voice: async (url, params) => parseAnswer(await voiceHandler(signedEvent(url, params), lambdaContext)),
    async waitingCaller(t) {
      const number = await deps.tickets.allocateNumber();
      const callSid = newCallSid();
      const org = checked.data.organizations.find((x) => x.id === t.org)!;
      const plan = checked.data.plans[org.plan]!;
      const createdAt = t.createdAt ?? new Date(clock.now).toISOString();
      const ticket: Ticket = {
        number,
        orgName: org.name,
        plan: org.plan,
        service: 'technical',
        priority: `P${t.priorityRank + 1}`,
        status: 'waiting',
        line: LINE,
        language: 'en-US',
        country: 'US',
        verifiedBy: 'caller-id',
        caller: org.contacts.phone ?? '+15555550123',
        createdAt,
        firstResponseDue: new Date(Date.parse(createdAt) + 3_600_000).toISOString(),
        callSid,
        priorityQueue: !!plan.priorityQueue,
        tier: plan.tier ?? 1,
        ...t,
      };
      const stored = await deps.tickets.putIfAbsent({ ...ticket, queue: queueName(ticket) });
      await deps.calls.create(
        {
          callSid: stored.callSid,
          kind: 'caller',
          from: stored.caller,
          line: stored.line,
          country: stored.country,
          language: stored.language,
          createdAt,
          n: 9,
          expect: 'done',
          tries: 0,
          ticketNumber: number,
          queue: stored.queue,
          orgId: org.id,
          verifiedBy: 'caller-id',
          service: stored.service,
        },
        '<Response/>',
        clock.now,
      );
      return stored;
    },
    async ticket(number) {
      return (await deps.tickets.get(number)) as AgentTicket;
    },
    agentCall(callSid = newCallSid(), from = AGENT_PHONE) {
      const base = { CallSid: callSid, AccountSid: 'AC' + 'c'.repeat(32), From: from, To: AGENTS_LINE, Direction: 'inbound', CallStatus: 'in-progress' };
      const driver: AgentCallDriver = {
        callSid,
        async start() {
          driver.last = await agent('/twilio/agent/start', base);
          return driver.last;
        },
        async press(digits) {
          const action = driver.last?.gather?.attrs.action;
          if (!action) throw new Error(`no Gather to answer in: ${driver.last?.body}`);
          driver.last = await agent(relative(action), { ...base, Digits: digits, FinishedOnKey: '#' });
          return driver.last;
        },
        async dialEnded(params) {
          const action = driver.last?.dial?.attrs.action;
          if (!action) throw new Error(`no Dial in: ${driver.last?.body}`);
          driver.last = await agent(relative(action), { ...base, ...params });
          return driver.last;
        },
        async bridge(callerCallSid) {
          const queue = driver.last?.dial ? childElements(driver.last.dial, 'Queue')[0] : undefined;
          if (!queue?.attrs.url) throw new Error(`no Queue url in: ${driver.last?.body}`);
          return agent(relative(queue.attrs.url), {
            CallSid: callerCallSid,
            AccountSid: base.AccountSid,
            QueueSid: 'QU' + 'd'.repeat(32),
            QueueTime: '30',
            DequeingCallSid: callSid,
            CallStatus: 'in-progress',
          });
        },
      };
      return driver;
    },
    async stop() {
      sns.restore();
      ses.restore();
    },
  };
  return harness;
}

/** The Queue noun of a Dial answer. */
export function queueOf(a: Answer): TwimlElement | undefined {
  return a.dial ? childElements(a.dial, 'Queue')[0] : undefined;
}
