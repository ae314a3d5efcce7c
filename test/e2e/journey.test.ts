/**
 * End to end, the caller's whole journey of issue "Thirty seconds to the queue, and a way out at every
 * prompt": callbacks reaching agents, the callback key after an agent took the call, the waiting caller's
 * position, estimate, announcements and hold music, the code without `#`, the whisper's skip key, and a
 * sweep of bad keys and silence at every prompt. One local server in this process (`startLocal`), callers
 * and agents on the terminal phone; what Twilio itself requests on the other leg of a call (a Queue or
 * Number `url`) or sends with missing or absurd parameters is posted here, signed as Twilio signs.
 * The one clock test (announcements at most every 60 s) moves only `Date`, and runs last.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Phone, type CallResult, type DialOutcome, type KeyAnswer, type KeysFunction, type PhoneOptions } from '../../local/phone.js';
import { parseTwiml, childElements, textOf, type TwimlElement } from '../../local/twiml-parse.js';
import { startLocal, type RunningServer } from '../../local/server.js';
import { p1p4 } from '../support/fixtures.js';
import { DEFAULT_HOLD_MUSIC } from '../../functions/app/caller-flow/waiting.js';
import { serverDatabase } from './support/shared-dynamo.js';

const LINE = '+13125550100'; // ext. 2 technical, 3 network, 4 billing; its own hold music
const PLAIN_LINE = '+13125550101'; // no extensions, no holdMusic: network
const PL_LINE = '+48221234567'; // Polish: network
const AGENTS = '+13125550199';
const AGENT_PHONE = '+13125550177';
const ADA = '+13125550111'; // Contoso's registered phone: codes go there
const HOLD_MUSIC = 'https://music.example.com/contoso-hold.mp3';
const AUTH = 'e2e-journey-auth-token-0123456789';
const API = 'e2e-journey-api-token';
const PUBLIC = 'https://journey-e2e.example.com';

/** Contoso people: one calling number per call (a number may open 3 tickets an hour). */
const person = (i: number) => `+1312555${String(1000 + i)}`;
/** People in Contoso and in Fabrikam: asked which organization. */
const twoOrgs = (i: number) => `+1312555${String(2000 + i)}`;
/** Unregistered callers, each verifying for an organization of its own (5 codes per organization per 10 minutes). */
const stranger = (i: number) => `+44770090${String(1000 + i)}`;
const SWEEP_ORGS = 12;
const sweepOrg = (i: number) => ({ account: `4020${String(1000 + i)}`, phone: `+1312555${String(3000 + i)}` });

const data = {
  lines: [
    {
      number: LINE,
      countries: ['US'],
      language: 'en-US',
      timezone: 'America/Chicago',
      extensions: { '2': 'technical', '3': 'network', '4': 'billing' },
      defaultService: 'technical',
      scheme: 'p1-p4',
      holdMusic: HOLD_MUSIC,
    },
    { number: PLAIN_LINE, countries: ['US'], language: 'en-US', timezone: 'America/Chicago', defaultService: 'network', scheme: 'p1-p4' },
    { number: PL_LINE, countries: ['PL'], language: 'pl-PL', timezone: 'Europe/Warsaw', defaultService: 'network', scheme: 'p1-p4' },
  ],
  services: { technical: { hours: '24/7' }, network: { hours: '24/7' }, billing: { hours: '24/7' } },
  schemes: { 'p1-p4': p1p4() },
  plans: { business: { phoneSupport: true, services: ['technical', 'network', 'billing'], roles: ['admin'] } },
  organizations: [
    {
      id: 'contoso',
      name: 'Contoso',
      account: '40012345',
      plan: 'business',
      verification: 'caller-id',
      contacts: { phone: ADA },
      people: [
        { name: 'Ada', phone: ADA, role: 'admin' },
        ...Array.from({ length: 80 }, (_, i) => ({ name: `Person ${i}`, phone: person(i), role: 'admin' })),
        ...Array.from({ length: 10 }, (_, i) => ({ name: `Duo ${i}`, phone: twoOrgs(i), role: 'admin' })),
      ],
    },
    {
      id: 'fabrikam',
      name: 'Fabrikam',
      account: '40077777',
      plan: 'business',
      verification: 'caller-id',
      contacts: { phone: '+13125550170' },
      people: Array.from({ length: 10 }, (_, i) => ({ name: `Duo ${i}`, phone: twoOrgs(i), role: 'admin' })),
    },
    ...Array.from({ length: SWEEP_ORGS }, (_, i) => ({
      id: `sweep-${i}`,
      name: `Sweep ${i}`,
      account: sweepOrg(i).account,
      plan: 'business',
      verification: 'caller-id',
      contacts: { phone: sweepOrg(i).phone },
      people: [{ name: `Admin ${i}`, phone: sweepOrg(i).phone, role: 'admin' }],
    })),
  ],
  // Sam serves technical only: the network and billing callers of this file are never taken by him.
  agents: { line: AGENTS, people: [{ id: '1001', name: 'Sam', pin: '4321', languages: ['en-US'], services: ['technical'] }] },
};

let server: RunningServer;
let outbox: string;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'journey-e2e-'));
  const dataFile = join(dir, 'data.json');
  writeFileSync(dataFile, JSON.stringify(data));
  outbox = join(dir, 'outbox.jsonl');
  server = await startLocal({
    port: 0,
    dataFile,
    authToken: AUTH,
    apiToken: API,
    outbox,
    publicBaseUrl: PUBLIC,
    ...serverDatabase(),
    escalationMs: 0,
    spoolReplayMs: 0,
  });
}, 60_000);
afterAll(async () => {
  vi.useRealTimers();
  await server?.stop();
});

const phone = (from: string, to = LINE, more: Partial<PhoneOptions> = {}) =>
  new Phone({ baseUrl: server.url, publicBaseUrl: PUBLIC, authToken: AUTH, from, to, ...more });

type Ticket = Record<string, unknown> & { number: string; status: string; createdAt: string; callSid: string; caller: string; queue: string };

async function api(path: string): Promise<{ status: number; json: any }> {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${API}` } });
  return { status: res.status, json: await res.json() };
}

async function ticket(number: string): Promise<Ticket> {
  const r = await api(`/api/tickets/${number}`);
  expect(r.status).toBe(200);
  return r.json as Ticket;
}

async function allTickets(): Promise<Ticket[]> {
  const r = await api('/api/tickets?limit=1000');
  expect(r.status).toBe(200);
  return r.json.tickets as Ticket[];
}

const ticketsOfCall = async (callSid: string) => (await allTickets()).filter((t) => t.callSid === callSid);
const ticketsFrom = async (caller: string) => (await allTickets()).filter((t) => t.caller === caller);

async function theTicketOf(call: CallResult): Promise<Ticket> {
  const mine = await ticketsOfCall(call.callSid);
  expect(mine).toHaveLength(1);
  return mine[0]!;
}

/** A ticket number read as the line reads it: "1 0 0, 0 0 0 1". */
const grouped = (n: string) => `${n.slice(0, 3).split('').join(' ')}, ${n.slice(3).split('').join(' ')}`;

const callSid = () => 'CA' + randomBytes(16).toString('hex');

/** A request Twilio itself sends (a Queue or Number url on the other leg, a wait request), signed over the public URL. */
async function twilioPost(pathOrUrl: string, params: Record<string, string>): Promise<{ status: number; body: string; says: string[]; plays: string[] }> {
  const publicUrl = pathOrUrl.startsWith('/') ? PUBLIC + pathOrUrl : pathOrUrl;
  expect(publicUrl.startsWith(PUBLIC)).toBe(true);
  const res = await fetch(server.url + publicUrl.slice(PUBLIC.length), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(AUTH, publicUrl, params) },
    body: new URLSearchParams(params).toString(),
  });
  const body = await res.text();
  const says: string[] = [];
  const plays: string[] = [];
  if (res.status === 200) {
    const walk = (el: TwimlElement) =>
      childElements(el).forEach((c) => (c.name === 'Say' ? says.push(textOf(c)) : c.name === 'Play' ? plays.push(textOf(c)) : walk(c)));
    walk(parseTwiml(body));
  }
  return { status: res.status, body, says, plays };
}

function outboxLines(): Array<{ channel: string; to: string; body: string }> {
  if (!existsSync(outbox)) return [];
  return readFileSync(outbox, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { channel: string; to: string; body: string });
}

/** The latest 6-digit code texted to `to`. */
function latestCode(to: string): string | null {
  const m = outboxLines()
    .filter((l) => l.to === to)
    .reverse()
    .map((l) => /\b(\d{6})\b/.exec(l.body))
    .find(Boolean);
  return m ? m[1]! : null;
}

type PromptKind = 'menu' | 'account' | 'code' | 'org' | 'open' | 'priority' | 'wait' | 'other';

/** Which question a caller is asked, by its words (the catalogs keep these key words). */
function kindOf(prompt: string): PromptKind {
  const p = prompt.toLowerCase();
  if (/6 digit code/.test(p)) return 'code';
  if (/account number/.test(p)) return 'account';
  if (/which organization/.test(p)) return 'org';
  if (/open ticket/.test(p)) return 'open';
  if (/keep your place/.test(p)) return 'wait';
  if (/priority/.test(p)) return 'priority';
  if (/support, press|, press \d\./.test(p)) return 'menu';
  return 'other';
}

type Answers = Partial<Record<PromptKind, KeyAnswer | (() => KeyAnswer | Promise<KeyAnswer>)>>;

/** A caller who answers each question by what it asks. */
const caller =
  (answers: Answers): KeysFunction =>
  async (prompt) => {
    const a = answers[kindOf(prompt)];
    return typeof a === 'function' ? a() : (a ?? null);
  };

/** An agent: id and PIN, `1` to call a callback's customer, the wrap-up key, and (optionally) a key during the whisper. */
const agent =
  (o: { whisperKey?: string; wrapUp?: string } = {}): KeysFunction =>
  (prompt) => {
    if (/agent ID/i.test(prompt)) return '1001#';
    if (/\bPIN\b/.test(prompt)) return '4321#';
    if (/call the customer/.test(prompt)) return '1';
    if (/issue is resolved/.test(prompt)) return o.wrapUp ?? '1';
    if (/^P\d, .* Ticket [\d ,]+\.$/.test(prompt)) return o.whisperKey ?? null;
    return null; // "press 1 for the next caller": the agent hangs up
  };

const ticketOfUrl = (url: string | undefined) => new URL(url!).searchParams.get('t')!;

describe('callbacks reach the agents (contract §3 v2)', () => {
  const callbacks: Ticket[] = [];
  let waiter: Ticket;

  it('a caller presses 1 while waiting: a callback in the same place, the call ends with the confirmation', async () => {
    for (const [i, key] of [
      [0, '1'],
      [1, null],
      [2, '1'],
    ] as const) {
      const r = await phone(person(i)).call(caller({ menu: '2', priority: '3', wait: key }));
      expect(r.error).toBeUndefined();
      const t = await theTicketOf(r);
      if (key === '1') {
        expect(r.transcript()).toContain(`We will call you back about ticket ${grouped(t.number)}, in your turn. Goodbye.`);
        expect(r.endedBy).toBe('hangup');
        expect(t).toMatchObject({ status: 'callback', priority: 'P3', service: 'technical' });
        callbacks.push(t);
      } else {
        expect(r.endedBy).toBe('enqueue');
        expect(t).toMatchObject({ status: 'waiting', priority: 'P3' });
        waiter = t;
      }
    }
    // The waiting caller came between the two callbacks, and all three keep the order they called in.
    expect(callbacks[0]!.createdAt < waiter.createdAt && waiter.createdAt < callbacks[1]!.createdAt).toBe(true);
  });

  it('the agent gets them in the order of the queue, hears "Callback", presses 1 and the line dials the customer; the API shows each ticket', async () => {
    const dials: Array<{ dial: DialOutcome; during: Ticket; answered?: string[]; bridged?: string[] }> = [];
    const call = await phone(AGENT_PHONE, AGENTS, {
      hold: async (on) => {
        const dial = on.dialed!;
        const target = dial.targets[0]!;
        const number = ticketOfUrl(target.url);
        const during = await ticket(number);
        if (target.kind === 'Number') {
          // Twilio runs the Number url on the customer's leg when they answer, before they are connected.
          const answered = await twilioPost(target.url!, {
            CallSid: callSid(),
            From: LINE,
            To: target.value,
            Direction: 'outbound-api',
            CallStatus: 'in-progress',
          });
          dials.push({ dial, during, answered: answered.says });
        } else {
          // Twilio dequeues the waiting caller and runs the Queue url on their leg before bridging.
          const bridged = await twilioPost(target.url!, { CallSid: during.callSid, From: during.caller, To: LINE, CallStatus: 'in-progress' });
          dials.push({ dial, during, bridged: bridged.says });
        }
      },
    }).call(agent({ wrapUp: '1' }));
    expect(call.error).toBeUndefined();

    // Same priority: the older callback, then the waiting caller, then the newer callback.
    expect(dials.map((d) => d.during.number)).toEqual([callbacks[0]!.number, waiter.number, callbacks[1]!.number]);
    const whispers = call.heard.filter((s) => /Ticket [\d ,]+\.$/.test(s));
    expect(whispers).toEqual([
      `Callback. P3, Contoso, business plan, caller ID. Ticket ${grouped(callbacks[0]!.number)}.`,
      `P3, Contoso, business plan, caller ID. Ticket ${grouped(waiter.number)}.`,
      `Callback. P3, Contoso, business plan, caller ID. Ticket ${grouped(callbacks[1]!.number)}.`,
    ]);
    expect(call.heard.filter((s) => s === 'Press 1 to call the customer, or 2 to put the callback back.')).toHaveLength(2);

    for (const [i, d] of [dials[0]!, dials[2]!].entries()) {
      const cb = callbacks[i]!;
      // <Dial callerId=line><Number>the caller's number</Number></Dial>
      expect(d.dial.targets).toEqual([expect.objectContaining({ kind: 'Number', value: cb.caller })]);
      expect(d.dial.attrs.callerId).toBe(LINE);
      expect(d.during).toMatchObject({ status: 'in-progress', agent: '1001', createdAt: cb.createdAt });
      expect(d.answered).toEqual([`This is support, calling you back about ticket ${grouped(cb.number)}. Connecting you to an agent.`]);
    }
    expect(dials[1]!.dial.targets).toEqual([expect.objectContaining({ kind: 'Queue', value: waiter.queue })]);
    expect(dials[1]!.bridged).toEqual(['Connecting you to an agent now.']);

    // Each conversation was wrapped up as resolved; the callbacks kept their place (createdAt) to the end.
    for (const t of [...callbacks, waiter]) {
      const after = await ticket(t.number);
      expect(after).toMatchObject({ status: 'closed', agent: '1001', closedBy: 'agent 1001', createdAt: t.createdAt, firstResponseMet: true });
      expect(typeof after.bridgedAt).toBe('string');
    }
    expect(call.heard.filter((s) => s === 'Ticket closed.')).toHaveLength(3);
    expect(call.transcript()).toContain('No callers are waiting for you right now.');
  });

  it('a callback key from a call an agent has just taken: a clear answer, the same ticket with the agent, no second ticket', async () => {
    const from = person(3);
    let agentCall: CallResult | undefined;
    const r = await phone(from).call(
      caller({
        menu: '2',
        priority: '2',
        // The agent takes the call while the hold music plays; then the caller presses 1.
        wait: async () => {
          agentCall = await phone(AGENT_PHONE, AGENTS).call(agent());
          return '1';
        },
      }),
    );
    expect(r.error).toBeUndefined();
    const t = await theTicketOf(r);
    expect(agentCall!.dialed!.targets[0]).toMatchObject({ kind: 'Queue', value: t.queue });
    // Said once: the sentence already asks the caller to stay on the line.
    expect(r.enqueued!.waitHeard.at(-1)).toBe('An agent is already taking your call. Please stay on the line.');
    expect(r.enqueued!.waitHeard).not.toContain('Please stay on the line for an agent.');
    expect(r.enqueued!.waitPlayed.at(-1)).toBe(HOLD_MUSIC);
    expect(r.endedBy).toBe('enqueue'); // still in Twilio's queue: not left, not hung up
    expect(t).toMatchObject({ status: 'in-progress', agent: '1001' });
    expect(await ticketsFrom(from)).toHaveLength(1);
  });
});

describe("bad keys and silence on the agents' line: the callback keeps its place, the ticket stays with the agent", () => {
  /** An agent who signs in and then answers `at` (the callback prompt or the wrap-up) from `keys` in turn; silence after. */
  const agentWith = (at: RegExp, keys: KeyAnswer[], more: Partial<Record<'callback', string>> = {}): KeysFunction => {
    const left = [...keys];
    return (prompt, attrs) => {
      if (at.test(prompt)) return left.length ? left.shift()! : null;
      if (more.callback && /call the customer/.test(prompt)) return more.callback;
      if (/call the customer|issue is resolved/.test(prompt)) return null;
      return agent()(prompt, attrs);
    };
  };

  it('at the callback prompt: 9, *, # and silence, then goodbye; the callback is back in the list in its place', async () => {
    const r = await phone(person(22)).call(caller({ menu: '2', priority: '3', wait: '1' }));
    const cb = await theTicketOf(r);
    expect(cb.status).toBe('callback');
    const call = await phone(AGENT_PHONE, AGENTS).call(agentWith(/call the customer/, ['9', '*', '#']));
    expect(call.error).toBeUndefined();
    const whisper = `Callback. P3, Contoso, business plan, caller ID. Ticket ${grouped(cb.number)}.`;
    expect(call.heard.filter((s) => s === whisper).length).toBeGreaterThanOrEqual(2); // * said it again
    expect(call.heard.at(-1)).toBe('Goodbye.');
    expect(call.endedBy).toBe('hangup');
    expect(call.dialed).toBeUndefined(); // nobody was dialed
    const after = await ticket(cb.number);
    expect(after).toMatchObject({ status: 'callback', createdAt: cb.createdAt });
    expect(after.agent).toBeUndefined();
    expect(await ticketsFrom(person(22))).toHaveLength(1);
  });

  it('at the wrap-up: 9, *, # and silence, then goodbye; the ticket stays in progress with the agent', async () => {
    const r = await phone(person(23)).call(caller({ menu: '2', priority: '3', wait: '1' }));
    const cb = await theTicketOf(r);
    const call = await phone(AGENT_PHONE, AGENTS, {
      hold: async (on) => void (await twilioPost(on.dialed!.targets[0]!.url!, { CallSid: callSid(), From: LINE, To: cb.caller, CallStatus: 'in-progress' })),
    }).call(agentWith(/issue is resolved/, ['9', '*', '#'], { callback: '1' }));
    expect(call.error).toBeUndefined();
    expect(call.dialed!.targets[0]).toMatchObject({ kind: 'Number', value: cb.caller });
    expect(call.heard.filter((s) => s === 'Press 1 if the issue is resolved, or 2 if it is still open.').length).toBeGreaterThanOrEqual(3);
    expect(call.heard.at(-1)).toBe('Goodbye.');
    expect(await ticket(cb.number)).toMatchObject({ status: 'in-progress', agent: '1001', createdAt: cb.createdAt });
    expect(await ticketsFrom(person(23))).toHaveLength(1);
  });
});

describe('waiting (contract §2.9 v2)', () => {
  /** Places a network caller at `priority` on `line` and returns what the first wait request said, and the ticket. */
  async function networkCaller(from: string, priority: string, line = LINE, wait: KeyAnswer = null) {
    const r = await phone(from, line).call(caller({ menu: '3', priority, wait }));
    expect(r.error).toBeUndefined();
    return { r, t: await theTicketOf(r), said: r.enqueued!.waitHeard };
  }

  it('the position counts everyone an agent takes first, across the priorities of the service and language, callbacks included', async () => {
    const a = await networkCaller(person(10), '3');
    expect(a.said[0]).toBe('You are next in line.');
    const b = await networkCaller(person(11), '4');
    expect(b.said[0]).toBe('You are number 2 in line.');
    const c = await networkCaller(person(12), '1');
    expect(c.said[0]).toBe('You are next in line.'); // a P1 goes before both
    // Callers of another language or service are not in this line.
    const pl = await networkCaller(person(13), '1', PL_LINE);
    expect(pl.t).toMatchObject({ service: 'network', language: 'pl-PL' });
    const tech = await phone(person(14)).call(caller({ menu: '2', priority: '1' }));
    expect(tech.enqueued!.waitHeard[0]).toBe('You are next in line.');
    const d = await networkCaller(person(15), '3');
    expect(d.said[0]).toBe('You are number 3 in line.'); // the P1 and the older P3, not the P4
    // A P2 caller leaves a callback: it keeps its place, so an agent will still take it before a later P3.
    const e = await networkCaller(person(16), '2', LINE, '1');
    expect(e.t.status).toBe('callback');
    const f = await networkCaller(person(17), '3');
    expect(f.said[0]).toBe('You are number 5 in line.'); // P1, the P2 callback, both older P3s
    // No one has been answered in this service: no estimate is made up.
    for (const x of [a, b, c, d, f]) expect(x.said.join(' ')).not.toMatch(/estimated wait/);
  });

  it('an estimate from recent answered waits of the service: technical has three and more answered callers', async () => {
    const r = await phone(person(20)).call(caller({ menu: '2', priority: '4' }));
    const said = r.enqueued!.waitHeard;
    expect(said[0]).toBe('You are number 2 in line.'); // after the technical P1 of the test before
    // They were answered within seconds of calling: at least a minute is promised, never less.
    expect(said[1]).toBe('The estimated wait is about 1 minute.');
    expect(said[2]).toBe('To hang up and keep your place for a call back, press 1.');
  });

  it("the whisper is short, and a key during it connects at once to the caller's queue", async () => {
    // The technical P1 goes first (the P4 of the test before waits on).
    const waiting = (await allTickets()).find((t) => t.caller === person(14))!;
    let whisperAttrs: Record<string, string> = {};
    const call = await phone(AGENT_PHONE, AGENTS).call(async (prompt, attrs) => {
      if (/^P\d, /.test(prompt)) whisperAttrs = { ...attrs };
      return agent({ whisperKey: '9' })(prompt, attrs);
    });
    const whisper = `P1, Contoso, business plan, caller ID. Ticket ${grouped(waiting.number)}.`;
    expect(call.prompts).toContain(whisper);
    // ≤ 8 s at 160 words a minute: at most 21 words, each digit a word.
    expect(whisper.split(/\s+/).length).toBeLessThanOrEqual(21);
    expect(whisperAttrs).toMatchObject({ numDigits: '1', timeout: '1' });
    // The key was posted (not the fall-through) and answered with the Dial of the caller's queue.
    const skip = call.events.find((e) => e.path.startsWith('/twilio/agent/connect'))!;
    expect(skip.params.Digits).toBe('9');
    expect(call.dialed!.targets[0]).toMatchObject({ kind: 'Queue', value: waiting.queue });
    expect(await ticket(waiting.number)).toMatchObject({ status: 'in-progress', agent: '1001' });
  });

  it('a wait request with missing or absurd parameters gets plain hold music and a clear word, and changes nothing', async () => {
    const { r, t } = await networkCaller(person(21), '4');
    const before = await ticket(t.number);
    const mine = { CallSid: r.callSid, From: person(21), To: LINE, QueueSid: 'QU' + 'a'.repeat(32) };
    const hold = ['Please stay on the line for an agent.'];
    for (const path of [
      '/twilio/call/wait',
      '/twilio/call/wait?t=',
      '/twilio/call/wait?t=abc&lang=en-US',
      '/twilio/call/wait?t=99999999999999999999&lang=en-US',
      '/twilio/call/wait?t=9999999&lang=en-US',
      `/twilio/call/wait?t=${t.number}&lang=xx-%3Cscript%3E`,
    ]) {
      const a = await twilioPost(path, { ...mine, QueuePosition: '-3', QueueTime: 'never', CurrentQueueSize: '1e99' });
      expect(a.status, path).toBe(200);
      if (path.includes(t.number)) expect(a.says[0], path).toMatch(/^You are number \d+ in line\.$/);
      else expect(a.says, path).toEqual(hold);
      expect(a.plays.length, path).toBe(1);
    }
    // Absurd queue figures on the caller's own ticket: an honest announcement all the same, no estimate from them.
    for (const QueueTime of ['-99999', '1e308', '99999999999999999999', '']) {
      const a = await twilioPost(`/twilio/call/wait?t=${t.number}&lang=en-US`, { ...mine, QueueTime, QueuePosition: 'x' });
      expect(a.status).toBe(200);
      expect(a.plays).toEqual([HOLD_MUSIC]);
    }
    // Someone else's ticket: plain hold, and the callback key cannot touch it.
    const other = { ...mine, CallSid: callSid() };
    expect((await twilioPost(`/twilio/call/wait?t=${t.number}&lang=en-US`, other)).says).toEqual(hold);
    const key = await twilioPost(`/twilio/call/wait-key?t=${t.number}&lang=en-US`, { ...other, Digits: '1' });
    expect(key.says).toEqual(['Sorry, we cannot take a call back request now.', ...hold]);
    for (const path of ['/twilio/call/wait-key', '/twilio/call/wait-key?t=abc', `/twilio/call/queue-result?t=abc`]) {
      const a = await twilioPost(path, { ...mine, Digits: '1', QueueResult: 'leave' });
      expect(a.status, path).toBe(200);
      expect(a.body, path).not.toContain('<Leave');
    }
    const after = await ticket(t.number);
    expect(after).toEqual(before);
    expect(await ticketsFrom(person(21))).toHaveLength(1);
  });
});

describe('identification', () => {
  it('the code prompt takes the 6 digits without #', async () => {
    let codeAttrs: Record<string, string> = {};
    const from = stranger(0);
    const r = await phone(from).call(async (prompt, attrs) => {
      const kind = kindOf(prompt);
      if (kind === 'code') {
        codeAttrs = { ...attrs };
        return latestCode(ADA); // six digits, no #
      }
      return caller({ menu: '4', account: '40012345#', priority: '4' })(prompt, attrs);
    });
    expect(r.error).toBeUndefined();
    expect(codeAttrs.numDigits).toBe('6');
    expect(r.pressed).toContain(latestCode(ADA));
    expect(r.transcript()).toContain('Thank you, you are verified.');
    expect(await theTicketOf(r)).toMatchObject({ verifiedBy: 'code', org: 'contoso', status: 'waiting', service: 'billing' });
  });
});

describe('bad input at every prompt: a clear spoken answer, no second ticket, no lost place', () => {
  const KEYS: KeyAnswer[] = ['#', '*', '0', '9', null];
  let nextStranger = 1;
  let nextOrg = 0;
  /** Who calls for each prompt, and how they answer everything else. */
  const setups: Record<Exclude<PromptKind, 'other'>, (i: number) => Promise<{ from: string; normal: Answers; open?: Ticket }>> = {
    menu: async (i) => ({ from: person(30 + i), normal: { menu: '4', priority: '4' } }),
    priority: async (i) => ({ from: person(35 + i), normal: { menu: '4', priority: '4' } }),
    open: async (i) => {
      const from = person(40 + i);
      const first = await phone(from).call(caller({ menu: '4', priority: '4' }));
      return { from, normal: { menu: '4', open: '1', priority: '4' }, open: await theTicketOf(first) };
    },
    org: async (i) => ({ from: twoOrgs(i), normal: { menu: '4', org: '1', priority: '4' } }),
    wait: async (i) => ({ from: person(45 + i), normal: { menu: '4', priority: '4' } }),
    account: async () => {
      const org = sweepOrg(nextOrg++);
      return { from: stranger(nextStranger++), normal: { menu: '4', account: `${org.account}#`, code: () => latestCode(org.phone), priority: '4' } };
    },
    code: async () => {
      const org = sweepOrg(nextOrg++);
      return { from: stranger(nextStranger++), normal: { menu: '4', account: `${org.account}#`, code: () => latestCode(org.phone), priority: '4' } };
    },
  };

  it.each(Object.keys(setups) as Array<keyof typeof setups>)('at the %s prompt: #, * (three times), 0, 9 and silence', async (kind) => {
    for (const [i, key] of KEYS.entries()) {
      const { from, normal, open } = await setups[kind](i);
      const heard: string[] = [];
      let mark = -1;
      // `*` three times: were it a try, the third would end the question (3 tries) before the right answer.
      const times = key === '*' && kind !== 'wait' ? 3 : 1;
      let swept = 0;
      const p = phone(from, LINE, {
        listener: {
          heard: (s) => void heard.push(s),
          gather: () => {
            if (mark < 0 && swept) mark = heard.length; // after the first bad key
          },
        },
      });
      const r = await p.call(async (prompt, attrs) => {
        if (swept < times && kindOf(prompt) === kind) {
          swept++;
          return key;
        }
        return caller(normal)(prompt, attrs);
      });
      const what = `${kind} prompt, key ${JSON.stringify(key)}: ${r.transcript()}`;
      expect(swept, what).toBe(times);
      expect(r.error, what).toBeUndefined();
      expect(
        r.events.every((e) => e.status === 200),
        what,
      ).toBe(true);
      // Something is said after the key, before the next question or the queue (a repeat counts: it is what * asks for);
      // silence while waiting is the hold music, until Twilio asks the wait URL again.
      if (kind === 'wait' && key === null) expect(r.enqueued!.waitPlayed, what).toEqual([HOLD_MUSIC]);
      else expect(heard.length, what).toBeGreaterThan(mark);
      // The caller still reaches the queue, with exactly one ticket, in its place.
      expect(r.endedBy, what).toBe('enqueue');
      const t = await theTicketOf(r);
      expect(t.status, what).toBe('waiting');
      const mine = await ticketsFrom(from);
      expect(mine, what).toHaveLength(1);
      if (open) expect(t, what).toMatchObject({ number: open.number, createdAt: open.createdAt });
      if (kind === 'wait') expect(t.createdAt, what).toBe((await ticket(t.number)).createdAt);
    }
  });
});

// Last in the file: it moves the functions' clock (Date only, in this process) forward, and back at the end.
describe('announcements at most every 60 s, with hold music between (contract §2.9 v2)', () => {
  it("the line's holdMusic between announcements, one announcement a minute; Twilio's default on a line without holdMusic", async () => {
    const t0 = Date.now();
    vi.setSystemTime(t0);
    const heardAt: Array<[number, string[]]> = [];
    const r = await phone(person(60), LINE, {
      holdRefreshMs: 0,
      hold: async (on) => {
        // Twilio asks the wait URL again each time the music has played.
        for (const s of [30, 59, 61, 90, 122]) {
          vi.setSystemTime(t0 + s * 1000);
          heardAt.push([s, await on.waitAgain()]);
        }
      },
    }).call(caller({ menu: '3', priority: '4' }));
    vi.useRealTimers();
    expect(r.error).toBeUndefined();
    expect(r.enqueued!.waitHeard.slice(0, 2)).toEqual([
      expect.stringMatching(/^You are (next|number \d+) in line\.$/),
      'To hang up and keep your place for a call back, press 1.',
    ]);
    const announced = (said: string[]) => said.some((s) => /in line\.$/.test(s));
    expect(heardAt.map(([s, said]) => [s, announced(said)])).toEqual([
      [30, false],
      [59, false],
      [61, true],
      [90, false],
      [122, true],
    ]);
    for (const [, said] of heardAt) if (!announced(said)) expect(said).toEqual([]); // music only
    expect(r.enqueued!.waitPlayed).toEqual(Array(6).fill(HOLD_MUSIC));
    expect((await theTicketOf(r)).status).toBe('waiting');

    const plain = await phone(person(61), PLAIN_LINE).call(caller({ priority: '4' }));
    expect(plain.enqueued!.waitHeard[0]).toMatch(/in line\.$/);
    expect(plain.enqueued!.waitPlayed).toEqual([DEFAULT_HOLD_MUSIC]);
  });
});
