/**
 * Every live catalog end to end (the list comes from `LIVE_CATALOGS`, never written out): for each, a data
 * file whose line is tagged in that catalog's language, and through the real webhooks on the in-memory
 * fakes: (a) a registered caller to the queue with the ticket read out, (b) an unknown caller verified by a
 * code sent by text, (c) a call outside the service's hours (the hours, a callback ticket, its email), and
 * (d) an agent speaking the language taking call (a): sign-in, whisper, bridge, wrap-up, and the status emails.
 * And (e) the pages to the line's team: a top-priority ticket escalated when overdue, code verification paused;
 * (f) fair use: a second top-priority ticket in the plan's window lowered, the window said in the language.
 *
 * For every call: each `<Say>` has the one `language` and `voice` of the catalog's row in the voice table;
 * and in every text a person receives (says, texts, emails and subjects, pages) no ISO timestamp and no
 * sentence, weekday or month of another catalog (test/app/every-catalog-words.ts says how "another" is
 * decided for related catalogs). The detector's own self-check is at the end.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LIVE_CATALOGS, type CatalogKey } from '../../functions/domain/messages/catalog.js';
import { speechFor, VOICES } from '../../functions/domain/speech/voices.js';
import { formatDue, spokenDuration, spokenHours, ticketDigits, zoneName } from '../../functions/domain/speech/format.js';
import type { OutgoingMessage } from '../../functions/app/ports.js';
import { runAutoEscalation } from '../../functions/app/auto-escalate.js';
import { CODE_FAILURE_STREAK } from '../../functions/domain/abuse-limits.js';
import type { Answer } from '../support/voice-harness.js';
import { AGENT, CODE, FAIR, MAIL, REG, dialAction, lineTag, queueUrl, startCatalogLine, type CatalogLine, type Page } from './every-catalog-support.js';
import { foreignTo, fragmentsOf, ISO_DATE } from './every-catalog-words.js';

/** Wednesday 2026-05-13 11:00 in Berlin: technical (24/7) and billing (Mon–Fri 9–17) are open. */
const WEDNESDAY = Date.parse('2026-05-13T09:00:00Z');
/** Sunday 2026-05-17 11:00 in Berlin: billing is closed. */
const SUNDAY = Date.parse('2026-05-17T09:00:00Z');
const ZONE = 'Europe/Berlin';

const KEYS = [...LIVE_CATALOGS];

/** Every Say of these answers in the one language and voice of `tag`'s row; returns their text. */
function expectOneVoice(answers: Answer[], tag: string): string[] {
  const { say, voice } = speechFor(tag);
  const says = answers.flatMap((a) => a.says);
  expect(says.length).toBeGreaterThan(0);
  const pairs = new Set(answers.flatMap((a) => a.languages.map((l, i) => `${l} ${a.voices[i]}`)));
  expect([...pairs]).toEqual([`${say} ${voice}`]);
  return says;
}

/** No ISO timestamp and no foreign sentence or name in what a person of catalog `key` reads or hears. */
function expectClean(key: CatalogKey, texts: string[]): void {
  const detector = foreignTo(key);
  for (const t of texts) {
    expect(t, 'an ISO date').not.toMatch(ISO_DATE);
    expect(detector.find(t), t).toEqual([]);
  }
}

const textsOf = (messages: Array<OutgoingMessage | Page>) => messages.flatMap((m) => ('subject' in m && m.subject ? [m.subject, m.body] : [m.body]));

/** Answers each Gather by its step until the call leaves the Gathers (queued, hung up). */
async function drive(line: CatalogLine, from: string, keys: Record<string, string | (() => string)>) {
  const call = line.caller(from);
  let a = await call.start();
  for (let i = 0; a.gather && i < 10; i++) {
    const step = call.step();
    const k = keys[step];
    if (k === undefined) throw new Error(`no key for step "${step}" in ${a.xml}`);
    a = await call.press(typeof k === 'function' ? k() : k);
  }
  return call;
}

async function ticketOf(line: CatalogLine, callSid: string) {
  const state = await line.deps.calls.get(callSid);
  const ticket = state?.ticketNumber ? await line.deps.tickets.get(state.ticketNumber) : undefined;
  if (!ticket) throw new Error(`call ${callSid} has no ticket`);
  return ticket;
}

beforeAll(() => {
  // The detectors of all catalogs, built once (a few hundred milliseconds) outside the per-call timings.
  for (const key of KEYS) foreignTo(key);
});

describe.each(KEYS)('catalog %s', (key) => {
  const tag = lineTag(key);

  it('speaks its own catalog with a voice of the table', () => {
    const speech = speechFor(tag);
    expect(speech.catalog).toBe(key);
    expect(Object.values(VOICES)).toContainEqual({ say: speech.say, voice: speech.voice });
  });

  it('(a) a registered caller reaches the queue and hears the ticket number; the organization gets an email, the team a page', async () => {
    const line = await startCatalogLine(key, WEDNESDAY);
    const call = await drive(line, REG.phone, { menu: '2', priority: '1' });
    expect(call.last().enqueue, call.last().xml).toBeDefined();
    const ticket = await ticketOf(line, call.callSid);
    expect(ticket).toMatchObject({ language: tag, verifiedBy: 'caller-id', priority: 'P1', status: 'waiting' });
    const says = expectOneVoice(call.answers, tag);
    expect(says.join('\n')).toContain(ticketDigits(tag, ticket.number));
    const due = formatDue(tag, ticket.firstResponseDue, { timeZone: ZONE, now: new Date(WEDNESDAY), nameZone: true });
    expect(due).toContain(zoneName(speechFor(tag).locale, new Date(WEDNESDAY), ZONE));
    expect(line.sent).toHaveLength(1);
    expect(line.sent[0]).toMatchObject({ channel: 'email', to: REG.email });
    expect(line.sent[0]!.body).toContain(due);
    // The page to the line's team: in the line's language, the due time local with its zone.
    expect(line.pages).toHaveLength(1);
    expect(line.pages[0]!.body).toContain(due);
    expectClean(key, [...says, ...textsOf(line.sent), ...textsOf(line.pages)]);
  });

  it('(b) an unknown caller is verified by a code sent by text and reaches the queue', async () => {
    const line = await startCatalogLine(key, WEDNESDAY);
    const code = () => {
      const text = line.sent.filter((m) => m.to === CODE.contact).at(-1);
      const found = text && /(?<!\d)(\d{6})(?!\d)/.exec(text.body);
      if (!found) throw new Error(`no code texted to ${CODE.contact}`);
      return found[1]!;
    };
    const call = await drive(line, CODE.caller, { menu: '2', account: `${CODE.account}`, code, priority: '2' });
    expect(call.last().enqueue, call.last().xml).toBeDefined();
    expect(await ticketOf(line, call.callSid)).toMatchObject({ language: tag, verifiedBy: 'code', org: 'code', priority: 'P2' });
    const says = expectOneVoice(call.answers, tag);
    expect(line.sent.map((m) => [m.channel, m.to])).toEqual([
      ['sms', CODE.contact],
      ['sms', CODE.contact],
    ]);
    expectClean(key, [...says, ...textsOf(line.sent)]);
  });

  it('(c) outside the hours the caller hears them, leaves a callback, and the organization gets an email', async () => {
    const line = await startCatalogLine(key, SUNDAY);
    const call = await drive(line, MAIL.phone, { menu: '3', callback: '1' });
    expect(call.last().hangup).toBe(true);
    const says = expectOneVoice(call.answers, tag);
    expect(says.join('\n')).toContain(spokenHours(tag, { 'mon-fri': ['09:00', '17:00'] }));
    const ticket = await ticketOf(line, call.callSid);
    expect(ticket).toMatchObject({ status: 'callback', service: 'billing', language: tag });
    expect(says.join('\n')).toContain(ticketDigits(tag, ticket.number));
    expect(line.sent).toHaveLength(1);
    const mail = line.sent[0]!;
    expect(mail).toMatchObject({ channel: 'email', to: MAIL.email });
    expect(mail.subject).toBeTruthy();
    expect(mail.body).toContain(formatDue(tag, ticket.firstResponseDue, { timeZone: ZONE, now: new Date(SUNDAY), nameZone: true }));
    expectClean(key, [...says, ...textsOf(line.sent)]);
  });

  it("(d) an agent who speaks it takes the call: whisper and wrap-up in the agent's language, status emails in the caller's", async () => {
    const line = await startCatalogLine(key, WEDNESDAY);
    const caller = await drive(line, REG.phone, { menu: '2', priority: '1' });
    const ticket = await ticketOf(line, caller.callSid);
    const agent = line.agent();
    await agent.start();
    await agent.press(AGENT.id);
    // The agents' line speaks its own language (en-US) until it knows the agent: an unknown id and a
    // wrong PIN must sound the same, so the PIN prompt cannot switch to the id's language yet.
    const before = agent.answers.length;
    const whisper = await agent.press(AGENT.pin);
    expectOneVoice(agent.answers.slice(0, before), 'en-US');
    const bridged = await caller.post(queueUrl(whisper), { QueueSid: `QU${'d'.repeat(32)}`, QueueTime: '30', DequeingCallSid: agent.callSid });
    expect(bridged.says.length).toBeGreaterThan(0);
    await agent.post(dialAction(whisper), { DialCallStatus: 'completed', DialCallDuration: '300' });
    await agent.press('1');
    const agentSays = expectOneVoice(agent.answers.slice(before), tag);
    expect(whisper.says.join('\n')).toContain('Reg Co');
    // The number in the whisper is grouped as the agent's language pauses (an ideographic comma in CJK).
    expect(whisper.says.join('\n')).toContain(ticketDigits(tag, ticket.number));
    expect((await line.deps.tickets.get(ticket.number))?.status).toBe('closed');
    const callerSays = expectOneVoice(caller.answers, tag);
    // The organization (notifyStatusChanges): opened, with an agent, closed; subjects and bodies in the caller's language.
    expect(line.sent.map((m) => [m.channel, m.to])).toEqual([
      ['email', REG.email],
      ['email', REG.email],
      ['email', REG.email],
    ]);
    expectClean(key, [...agentSays, ...callerSays, ...textsOf(line.sent), ...textsOf(line.pages)]);
  });
  it("(e) pages to the line's team: an overdue ticket escalated, code verification paused", async () => {
    const line = await startCatalogLine(key, WEDNESDAY);
    const caller = await drive(line, REG.phone, { menu: '2', priority: '1' });
    const ticket = await ticketOf(line, caller.callSid);
    line.clock.now = Date.parse(ticket.firstResponseDue) + 60_000;
    expect((await runAutoEscalation(line.deps)).escalated).toEqual([ticket.number]);
    expect(line.pages).toHaveLength(2);
    expect(line.pages[1]!.body).toContain(formatDue(tag, ticket.firstResponseDue, { timeZone: ZONE, now: new Date(line.clock.now), nameZone: true }));
    // Wrong codes in a row from two callers of Code Co until its code verification pauses: one page.
    const sentCode = () => /(?<!\d)(\d{6})(?!\d)/.exec(line.sent.filter((m) => m.to === CODE.contact).at(-1)!.body)![1]!;
    const wrong = () => (sentCode() === '111111' ? '222222' : '111111');
    for (const from of [CODE.caller, CODE.caller2]) {
      const call = line.caller(from);
      await call.start();
      await call.press('2');
      await call.press(CODE.account);
      while (call.step() === 'code') await call.press(wrong());
      expectOneVoice(call.answers, tag);
    }
    expect(line.pages).toHaveLength(3);
    expect(line.pages[2]!.subject).toContain('Code Co');
    expect(line.pages[2]!.body).toContain(String(CODE_FAILURE_STREAK.max));
    expectClean(key, textsOf(line.pages));
  });
  it('(f) fair use: a second top-priority ticket in the window is lowered, the window said in the language', async () => {
    const line = await startCatalogLine(key, WEDNESDAY);
    await drive(line, FAIR.phone, { menu: '2', priority: '1' });
    line.clock.now += 3_600_000;
    const second = await drive(line, FAIR.phone, { menu: '2', priority: '1', existing: '2' });
    expect(await ticketOf(line, second.callSid)).toMatchObject({ priority: 'P2' });
    const says = expectOneVoice(second.answers, tag);
    expect(says.join('\n')).toContain(spokenDuration(tag, 7 * 86_400_000));
    expectClean(key, [...says, ...textsOf(line.sent)]);
  });
});

describe('the foreign-word detector', () => {
  it('finds a German weekday in English and an English one in Polish', () => {
    expect(foreignTo('en').find('Billing is open Mittwoch.')).toEqual(['Mittwoch']);
    expect(foreignTo('pl').find('Zapraszamy w Wednesday.')).toEqual(['Wednesday']);
    expect(foreignTo('en').find('Billing is open Monday to Friday.')).toEqual([]);
  });

  it("finds another catalog's sentence, and tells related catalogs apart by what differs", () => {
    expect(foreignTo('de').find('Your ticket number is 1 0 0, 0 0 0 1.').length).toBeGreaterThan(0);
    expect(foreignTo('en-GB').find("Please enter your organization's account number, then press the pound key.").length).toBeGreaterThan(0);
    expect(foreignTo('en').find("Please enter your organisation's account number, then press the hash key.").length).toBeGreaterThan(0);
    // What en and en-GB say alike is no one's foreign sentence.
    expect(foreignTo('en-GB').find('Please hold while we connect you to an agent.')).toEqual([]);
  });

  it('keeps related catalogs (same language: en/en-GB, fr/fr-CA, es/es-MX, the three Chinese) apart by their own words only', () => {
    const related = KEYS.flatMap((a) => KEYS.filter((b) => b !== a && b.split('-')[0] === a.split('-')[0]).map((b) => [a, b] as const));
    expect(related.length).toBeGreaterThanOrEqual(12); // en/en-GB, fr/fr-CA, es/es-MX both ways, zh-CN/zh-HK/zh-TW pairwise
    for (const [a, b] of related) {
      const theirs = [...fragmentsOf(b)];
      const foreign = theirs.filter((f) => foreignTo(a).find(f).length > 0);
      // Some of b's sentences are not a's (else the catalogs would be one), and what they share is not foreign.
      expect(foreign.length, `${b} in ${a}`).toBeGreaterThan(0);
      const ours = fragmentsOf(a);
      for (const f of theirs) if (ours.has(f)) expect(foreignTo(a).find(f), `${f} (${b} in ${a})`).toEqual([]);
    }
  });

  it('has material for every catalog', () => {
    for (const key of KEYS) {
      const d = foreignTo(key);
      expect(d.fragments, key).toBeGreaterThan(100);
      expect(d.names, key).toBeGreaterThan(50);
    }
  });
});
