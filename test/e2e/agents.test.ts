/**
 * End to end on the agents' side (issue 5): the local server started in-process (`startLocal`, one per
 * file: it sets process.env and imports the handlers once), callers placed with the terminal phone, and an
 * agent calling the agents' line with the same phone. The phone stops at `<Dial>` as Twilio hands the call
 * to its queue; what Twilio does next (the Queue url on the caller's leg, the Dial action) is posted here,
 * signed like Twilio's own requests.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Phone, type CallResult, type KeysFunction } from '../../local/phone.js';
import { parseTwiml, childElements, textOf, type TwimlElement } from '../../local/twiml-parse.js';
import { startLocal, type RunningServer } from '../../local/server.js';
import { p1p4 } from '../support/fixtures.js';
import { digitGroups } from '../../functions/domain/agent-life.js';
import { serverDatabase } from './support/shared-dynamo.js';

const LINE = '+13125550100';
const AGENTS = '+13125550199';
const ADA = '+13125550111'; // Contoso admin, business plan
const FAY = '+13125550121'; // Fabrikam admin, premier plan: told of every status change
const AGENT_PHONE = '+13125550177';
const AUTH = 'e2e-agents-auth-token-0123456789';
const API = 'e2e-agents-api-token';
/** What signatures cover, as Twilio would see our public URL; requests go to the real port. */
const PUBLIC = 'https://support-e2e.example.com';

const data = {
  lines: [
    {
      number: LINE,
      countries: ['US'],
      language: 'en-US',
      timezone: 'America/Chicago',
      extensions: { '2': 'technical', '3': 'billing' },
      defaultService: 'technical',
      scheme: 'p1-p4',
    },
  ],
  services: { technical: { hours: '24/7' }, billing: { hours: '24/7' } },
  schemes: { 'p1-p4': p1p4() },
  plans: {
    business: { phoneSupport: true, services: ['technical', 'billing'], roles: ['admin'] },
    premier: {
      phoneSupport: true,
      services: ['technical', 'billing'],
      roles: ['admin', 'member'],
      priorityQueue: true,
      notifyStatusChanges: true,
      survey: true,
    },
  },
  organizations: [
    {
      id: 'contoso',
      name: 'Contoso',
      account: '40012345',
      plan: 'business',
      verification: 'caller-id',
      contacts: { phone: ADA },
      people: [{ name: 'Ada', phone: ADA, role: 'admin' }],
    },
    {
      id: 'fabrikam',
      name: 'Fabrikam',
      account: '40055555',
      plan: 'premier',
      verification: 'caller-id',
      contacts: { phone: FAY },
      people: [{ name: 'Fay', phone: FAY, role: 'admin' }],
    },
  ],
  agents: {
    line: AGENTS,
    people: [
      { id: '1001', name: 'Sam', pin: '4321', languages: ['en-US'], services: ['technical', 'billing'] },
      { id: '1009', name: 'Lee', pin: '8642', languages: ['en-US'], services: ['technical'] },
    ],
  },
};

let server: RunningServer;
let outbox: string;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agents-e2e-'));
  const dataFile = join(dir, 'data.json');
  writeFileSync(dataFile, JSON.stringify(data));
  outbox = join(dir, 'outbox.jsonl');
  server = await startLocal({ port: 0, dataFile, authToken: AUTH, apiToken: API, outbox, publicBaseUrl: PUBLIC, ...serverDatabase() });
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const phone = (from: string, to: string) => new Phone({ baseUrl: server.url, publicBaseUrl: PUBLIC, authToken: AUTH, from, to });

/** A caller who picks technical support and the given priority key. */
const caller =
  (priorityKey: string): KeysFunction =>
  (prompt) => {
    // Contract §2.8 v2: a caller with an open ticket from the same number hears it first; these callers want a new one.
    if (/open ticket/i.test(prompt)) return '2';
    if (/priority/i.test(prompt)) return priorityKey;
    if (/technical support, press/i.test(prompt)) return '2';
    return null;
  };

/** An agent who answers the id and PIN prompts. */
const agentKeys =
  (id: string, pin: string): KeysFunction =>
  (prompt) => {
    if (/agent ID/i.test(prompt)) return `${id}#`;
    if (/\bPIN\b/.test(prompt)) return `${pin}#`;
    return null;
  };

async function ticket(number: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}/api/tickets/${number}`, { headers: { authorization: `Bearer ${API}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function ticketOfCall(callSid: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}/api/tickets`, { headers: { authorization: `Bearer ${API}` } });
  const all = ((await res.json()) as { tickets: Array<Record<string, unknown>> }).tickets;
  const mine = all.filter((t) => t.callSid === callSid);
  expect(mine).toHaveLength(1);
  return mine[0]!;
}

/** A request Twilio itself would send (the Queue url, the Dial action, a Gather's action), signed. */
async function twilioPost(publicUrl: string, params: Record<string, string>): Promise<{ status: number; root: TwimlElement; says: string[] }> {
  expect(publicUrl.startsWith(PUBLIC)).toBe(true);
  const res = await fetch(server.url + publicUrl.slice(PUBLIC.length), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(AUTH, publicUrl, params) },
    body: new URLSearchParams(params).toString(),
  });
  const body = await res.text();
  const root = parseTwiml(body);
  const says: string[] = [];
  const walk = (el: TwimlElement) => childElements(el).forEach((c) => (c.name === 'Say' ? says.push(textOf(c)) : walk(c)));
  walk(root);
  return { status: res.status, root, says };
}

function outboxLines(): Array<{ channel: string; to: string; subject: string | null; body: string }> {
  if (!existsSync(outbox)) return [];
  return readFileSync(outbox, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { channel: string; to: string; subject: string | null; body: string });
}

// Issue 13: the whisper reads the ticket number once, in short groups of digits.
const spaced = (n: string) => digitGroups(n);

describe('agents take routed calls', () => {
  let p3: Record<string, unknown>;
  let p1: Record<string, unknown>;
  let p1Call: CallResult;
  let p3Call: CallResult;

  it('a P3 caller and then a P1 caller wait in their queues, and the P1 ticket pages the on-call team', async () => {
    p3Call = await phone(ADA, LINE).call(caller('3'));
    expect(p3Call.error).toBeUndefined();
    expect(p3Call.endedBy).toBe('enqueue');
    p1Call = await phone(FAY, LINE).call(caller('1'));
    expect(p1Call.endedBy).toBe('enqueue');
    p3 = await ticketOfCall(p3Call.callSid);
    p1 = await ticketOfCall(p1Call.callSid);
    expect(p3).toMatchObject({ priority: 'P3', status: 'waiting' });
    expect(p1).toMatchObject({ priority: 'P1', status: 'waiting' });
    expect(p1Call.enqueued!.queue).toBe(p1.queue);
    expect(p3Call.enqueued!.queue).toBe(p3.queue);
    const pages = outboxLines().filter((l) => l.channel === 'page');
    expect(pages).toHaveLength(1);
    expect(pages[0]!.subject).toBe(`P1 ticket ${String(p1.number)}: Fabrikam`);
  });

  let agentCall: CallResult;

  it('the agent signs in, hears the P1 ticket and is connected to its queue; the ticket shows in-progress with the agent', async () => {
    agentCall = await phone(AGENT_PHONE, AGENTS).call(agentKeys('1001', '4321'));
    expect(agentCall.error).toBeUndefined();
    expect(agentCall.endedBy).toBe('dial');
    expect(agentCall.transcript()).toContain(`P1, Fabrikam, premier plan, caller ID. Ticket ${spaced(String(p1.number))}.`);
    const target = agentCall.dialed!.targets[0]!;
    expect(target).toMatchObject({ kind: 'Queue', value: p1.queue });
    expect(await ticket(String(p1.number))).toMatchObject({ status: 'in-progress', agent: '1001', firstResponseMet: true });
    expect(typeof (await ticket(String(p1.number))).answeredAt).toBe('string');
    // Fabrikam's plan asks to be told of every status change.
    expect(outboxLines().filter((l) => l.to === FAY && /is now with an agent/.test(l.body))).toHaveLength(1);
  });

  it('after the conversation the agent takes the P3 caller, then hears that no one is waiting', async () => {
    const target = agentCall.dialed!.targets[0]!;
    // Twilio dequeues the P1 caller and runs the Queue url on their leg before bridging.
    const bridged = await twilioPost(target.url!, {
      CallSid: p1Call.callSid,
      QueueSid: 'QU' + '1'.repeat(32),
      DequeingCallSid: agentCall.callSid,
      CallStatus: 'in-progress',
    });
    expect(bridged.says).toEqual(['Connecting you to an agent now.']);
    const done = await twilioPost(agentCall.dialed!.attrs.action!, {
      CallSid: agentCall.callSid,
      From: AGENT_PHONE,
      To: AGENTS,
      DialCallSid: p1Call.callSid,
      DialCallStatus: 'completed',
      DialCallDuration: '240',
    });
    // Contract §3 v2: the wrap-up; 2 = still open, then the next caller.
    expect(done.says).toEqual(['The call has ended.', 'Press 1 if the issue is resolved, or 2 if it is still open.']);
    const gather = childElements(done.root, 'Gather')[0]!;
    const next = await twilioPost(gather.attrs.action!, { CallSid: agentCall.callSid, From: AGENT_PHONE, To: AGENTS, Digits: '2' });
    expect(next.says[0]).toBe('The ticket stays open.');
    expect(next.says[1]).toBe(`P3, Contoso, business plan, caller ID. Ticket ${spaced(String(p3.number))}.`);
    const dial = childElements(next.root, 'Dial')[0]!;
    expect(textOf(childElements(dial, 'Queue')[0]!)).toBe(p3.queue);
    expect(await ticket(String(p3.number))).toMatchObject({ status: 'in-progress', agent: '1001' });

    await twilioPost(childElements(dial, 'Queue')[0]!.attrs.url!, { CallSid: p3Call.callSid, DequeingCallSid: agentCall.callSid });
    const done2 = await twilioPost(dial.attrs.action!, {
      CallSid: agentCall.callSid,
      From: AGENT_PHONE,
      To: AGENTS,
      DialCallSid: p3Call.callSid,
      DialCallStatus: 'completed',
    });
    // 1 = resolved: closed through the close path, the organization told.
    const again = await twilioPost(childElements(done2.root, 'Gather')[0]!.attrs.action!, {
      CallSid: agentCall.callSid,
      From: AGENT_PHONE,
      To: AGENTS,
      Digits: '1',
    });
    expect(again.says).toEqual(['Ticket closed.', 'No callers are waiting for you right now. Press 1 to check again, or hang up.']);
    expect(await ticket(String(p3.number))).toMatchObject({ status: 'closed', closedBy: 'agent 1001' });
    expect(outboxLines().filter((l) => l.to === ADA && l.body === `Support ticket ${String(p3.number)} (P3) for Contoso is closed.`)).toHaveLength(1);
    expect(childElements(again.root, 'Gather')[0]!.attrs).toMatchObject({ numDigits: '1' });

    // The callers hang up after their conversations: their tickets stay with the agent.
    await twilioPost(`${PUBLIC}/twilio/status`, { CallSid: p1Call.callSid, CallStatus: 'completed' });
    expect(await ticket(String(p1.number))).toMatchObject({ status: 'in-progress', agent: '1001' });
  });

  it('a caller who hangs up while waiting is abandoned once, however often the callback comes', async () => {
    const gone = await phone(ADA, LINE).call(caller('4'));
    const t = await ticketOfCall(gone.callSid);
    await twilioPost(`${PUBLIC}/twilio/status`, { CallSid: gone.callSid, CallStatus: 'completed' });
    const first = await ticket(String(t.number));
    expect(first).toMatchObject({ status: 'abandoned' });
    await twilioPost(`${PUBLIC}/twilio/status`, { CallSid: gone.callSid, CallStatus: 'completed' });
    expect(await ticket(String(t.number))).toEqual(first);
  });

  it('5 wrong PINs lock the agent: the right PIN is refused afterwards', async () => {
    const first = await phone(AGENT_PHONE, AGENTS).call(agentKeys('1009', '0000'));
    expect(first.heard.filter((s) => s === 'Those details are not right.')).toHaveLength(3);
    expect(first.transcript()).toContain('Sign-in failed too many times.');
    expect(first.endedBy).toBe('hangup');
    const second = await phone(AGENT_PHONE, AGENTS).call(agentKeys('1009', '0000'));
    expect(second.heard.filter((s) => s === 'Those details are not right.')).toHaveLength(2);
    expect(second.heard.at(-1)).toBe('Sign-in is locked after too many wrong entries. Please try again in 15 minutes. Goodbye.');
    const right = await phone(AGENT_PHONE, AGENTS).call(agentKeys('1009', '8642'));
    expect(right.heard.at(-1)).toBe('Sign-in is locked after too many wrong entries. Please try again in 15 minutes. Goodbye.');
    expect(right.dialed).toBeUndefined();
    // Contract §3 v2: the lock holds for that calling number only; Lee signs in from another phone.
    const elsewhere = await phone('+13125550178', AGENTS).call(agentKeys('1009', '8642'));
    expect(elsewhere.heard).toContain('Hello Lee.');
  });

  it('the P1 caller rates the conversation when the agent hangs up (premier asks for a survey); the API shows the rating', async () => {
    const action = p1Call.enqueued!.attrs.action!;
    const ask = await twilioPost(action, { CallSid: p1Call.callSid, From: FAY, To: LINE, QueueResult: 'bridged', QueueTime: '30' });
    expect(ask.says).toEqual(['Please rate the help you received from 1 to 5, where 5 is the best.']);
    const thanks = await twilioPost(childElements(ask.root, 'Gather')[0]!.attrs.action!, { CallSid: p1Call.callSid, From: FAY, To: LINE, Digits: '5' });
    expect(thanks.says).toEqual(['Thank you for your rating. Goodbye.']);
    expect(await ticket(String(p1.number))).toMatchObject({ rating: 5 });
  });
});
