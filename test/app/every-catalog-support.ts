/**
 * What test/app/every-catalog.test.ts drives: one data file per catalog (a line tagged in that catalog's
 * language, two organizations, an agent who speaks it), the callers' and the agents' webhooks in-process on
 * the in-memory fakes (the real middy stack, requests signed with the twilio library), and every text,
 * email and page recorded as the person would receive it.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { voiceWebhook } from '../../functions/app/voice-webhook.js';
import { agentWebhook } from '../../functions/app/agent-webhook.js';
import { twilioWebhook } from '../../functions/middleware/twilio-webhook.js';
import { buildDeps } from '../../functions/wiring.js';
import { parseConfig } from '../../functions/config.js';
import { validateSupportData } from '../../functions/data/validate.js';
import type { FlowDeps, OutgoingMessage } from '../../functions/app/ports.js';
import type { SupportData } from '../../functions/domain/model.js';
import type { HttpResult } from '../../functions/middleware/types.js';
import { CATALOG_LOCALES, type CatalogKey } from '../../functions/domain/messages/catalog.js';
import { childElements } from '../../local/twiml-parse.js';
import { hashPin } from '../../functions/adapters/crypto/pin-hash.js';
import { fakeStores } from '../support/fakes/index.js';
import { p1p4 } from '../support/fixtures.js';
import {
  AUTH_TOKEN,
  BASE_URL,
  CODE_KEY,
  lambdaContext,
  newCallSid,
  parseAnswer,
  relative,
  twilioEvent,
  yieldTurn,
  type Answer,
} from '../support/voice-harness.js';

export const LINE = '+18887999333';
export const AGENTS_LINE = '+15550100000';
export const AGENT = { id: '2001', pin: '8642', phone: '+15550100777' };
/** Registered admin of Reg Co (caller ID), whose plan reports every status change, by email (subjects too). */
export const REG = { phone: '+14155550121', name: 'Ada', email: 'it@reg.example' };
/** Code Co: always a code, sent by text to its contact phone. Two unknown callers of it. */
export const CODE = { account: '50023456', contact: '+14155550141', caller: '+14155550199', caller2: '+14155550198' };
/** Fair Co: one top-priority ticket a week (fair use). */
export const FAIR = { phone: '+14155550161' };
/** Mail Co: registered by caller ID, email contact only (its confirmations are emails). */
export const MAIL = { phone: '+14155550151', email: 'desk@mail.example' };

/** The tag of a catalog's line: the catalog's own locale (en → en-US, pt → pt-BR, zh-HK → zh-HK). */
export const lineTag = (key: CatalogKey): string => CATALOG_LOCALES[key];

/**
 * A data file for one catalog: technical support around the clock, billing Monday to Friday 9–17 (closed at
 * the test's Sunday), a line in Europe/Berlin tagged in the catalog's language, an agent speaking it.
 */
export function catalogData(key: CatalogKey, pinHash: string): SupportData {
  const tag = lineTag(key);
  return {
    lines: [{ number: LINE, countries: ['US'], language: tag, timezone: 'Europe/Berlin', extensions: { '2': 'technical', '3': 'billing' }, scheme: 'p1-p4' }],
    services: { technical: { hours: '24/7' }, billing: { hours: { 'mon-fri': ['09:00', '17:00'] } } },
    holidays: {},
    schemes: { 'p1-p4': p1p4() },
    plans: {
      premier: { phoneSupport: true, services: ['technical', 'billing'], roles: ['admin'], notifyStatusChanges: true, autoEscalate: true },
      business: { phoneSupport: true, services: ['technical', 'billing'], roles: ['admin'] },
      fair: { phoneSupport: true, services: ['technical'], roles: ['admin'], fairUse: { maxTopPriority: 1, window: 'P7D' } },
    },
    organizations: [
      {
        id: 'reg',
        name: 'Reg Co',
        account: '40012345',
        plan: 'premier',
        verification: 'caller-id',
        contacts: { email: REG.email },
        people: [{ name: REG.name, phone: REG.phone, role: 'admin' }],
      },
      {
        id: 'code',
        name: 'Code Co',
        account: CODE.account,
        plan: 'business',
        verification: 'always-code',
        contacts: { phone: CODE.contact },
        people: [{ name: 'Cy', phone: CODE.contact, role: 'admin' }],
      },
      {
        id: 'fair',
        name: 'Fair Co',
        account: '70045678',
        plan: 'fair',
        verification: 'caller-id',
        contacts: { phone: FAIR.phone },
        people: [{ name: 'Fay', phone: FAIR.phone, role: 'admin' }],
      },
      {
        id: 'mail',
        name: 'Mail Co',
        account: '60034567',
        plan: 'business',
        verification: 'caller-id',
        contacts: { email: MAIL.email },
        people: [{ name: 'Mo', phone: MAIL.phone, role: 'admin' }],
      },
    ],
    agents: { line: AGENTS_LINE, people: [{ id: AGENT.id, name: 'Sam', pinHash, languages: [tag], services: ['technical', 'billing'] }] },
  } as SupportData;
}

export interface Page {
  subject: string;
  body: string;
}

export interface CatalogLine {
  deps: FlowDeps;
  clock: { now: number };
  /** Texts and emails, in the order they went out. */
  sent: OutgoingMessage[];
  pages: Page[];
  caller(from: string): Driver;
  agent(): Driver;
}

/** One call: every answer it got (each parsed), and a way to answer the current Gather. */
export interface Driver {
  callSid: string;
  answers: Answer[];
  last(): Answer;
  start(): Promise<Answer>;
  press(digits: string): Promise<Answer>;
  /** Posts to a URL of this call (the agent's Dial action, the caller's leg at the bridge). */
  post(url: string, more?: Record<string, string>): Promise<Answer>;
  /** The current Gather's step name ("priority", "code", …). */
  step(): string;
}

/** The agent's PIN hashed once per test file: scrypt is slow on purpose, and 76 data files would pay for it each. */
let pinHash: Promise<string> | undefined;

export async function startCatalogLine(key: CatalogKey, now: number): Promise<CatalogLine> {
  pinHash ??= hashPin(AGENT.pin);
  const checked = validateSupportData(catalogData(key, await pinHash));
  if (!checked.ok) throw new Error(`test data is invalid: ${JSON.stringify(checked.problems)}`);
  const fakes = await fakeStores(checked.data);
  const env = {
    TABLE_DIRECTORY: 'fake-directory',
    TABLE_CALLS: 'fake-calls',
    TABLE_TICKETS: 'fake-tickets',
    AWS_REGION: 'us-east-1',
    PUBLIC_BASE_URL: BASE_URL,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    CODE_HASH_KEY: CODE_KEY,
  };
  const sent: OutgoingMessage[] = [];
  const pages: Page[] = [];
  const clock = { now };
  const { deps } = buildDeps(parseConfig(env, 'agent'), {
    stores: fakes,
    notifier: { send: async (m) => void sent.push(m) },
    pager: { page: async (subject, body) => void pages.push({ subject, body }) },
    now: () => new Date(clock.now),
    sleep: yieldTurn,
  });
  const opts = { authToken: async () => AUTH_TOKEN, publicBaseUrl: BASE_URL };
  const voice = twilioWebhook(voiceWebhook(deps), opts);
  const agent = twilioWebhook(agentWebhook(deps), opts);
  const run = (event: APIGatewayProxyEventV2) => (event.rawPath.startsWith('/twilio/agent/') ? agent : voice)(event, lambdaContext) as Promise<HttpResult>;

  const driver = (from: string, to: string, startUrl: string): Driver => {
    const callSid = newCallSid();
    const answers: Answer[] = [];
    const params = (more: Record<string, string>) => ({
      AccountSid: `AC${'0'.repeat(32)}`,
      ApiVersion: '2010-04-01',
      CallSid: callSid,
      CallStatus: 'in-progress',
      Direction: 'inbound',
      From: from,
      To: to,
      ...more,
    });
    const post = async (url: string, more: Record<string, string> = {}) => {
      const a = parseAnswer(await run(twilioEvent({ url, params: params(more) })));
      if (a.status !== 200) throw new Error(`${url} answered ${a.status}: ${a.xml}`);
      answers.push(a);
      return a;
    };
    const d: Driver = {
      callSid,
      answers,
      last: () => answers.at(-1)!,
      start: () => post(startUrl, { CallStatus: 'ringing' }),
      press: (digits) => {
        const g = d.last().gather;
        if (!g) throw new Error(`no Gather to answer in ${d.last().xml}`);
        return post(relative(g.attrs.action!), { Digits: digits, ...(g.attrs.finishOnKey ? { FinishedOnKey: g.attrs.finishOnKey } : {}) });
      },
      post,
      step: () => {
        const action = d.last().gather?.attrs.action;
        return action ? new URL(action).pathname.split('/').at(-1)! : '';
      },
    };
    return d;
  };

  return {
    deps,
    clock,
    sent,
    pages,
    caller: (from) => driver(from, LINE, '/twilio/voice'),
    agent: () => driver(AGENT.phone, AGENTS_LINE, '/twilio/agent/start'),
  };
}

/** The Queue noun's url of a Dial answer (where Twilio sends the dequeued caller's leg). */
export function queueUrl(a: Answer): string {
  const dial = childElements(a.root).find((v) => v.name === 'Dial');
  const queue = dial ? childElements(dial, 'Queue')[0] : undefined;
  if (!queue?.attrs.url) throw new Error(`no Queue url in ${a.xml}`);
  return relative(queue.attrs.url);
}

/** The Dial action (the agent's wrap-up after the conversation). */
export function dialAction(a: Answer): string {
  const dial = childElements(a.root).find((v) => v.name === 'Dial');
  if (!dial?.attrs.action) throw new Error(`no Dial action in ${a.xml}`);
  return relative(dial.attrs.action);
}
