/**
 * What the example tests share: reading an example data file, deriving the test's variant of it (dates and
 * hours relative to "now", so a policy written with real dates can be driven on any day at any hour),
 * the server `npm start` runs with that file (in this process: these tests are about the data, and
 * test/local/npm-start.test.ts about the command), a caller who answers prompts by what they ask, and the
 * agents' line.
 * Everything goes through the contract: signed webhooks (the terminal phone), the outbox file, the ticket API.
 */
import { ticketDigits } from '../../../functions/domain/speech/format.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Phone, type CallResult, type KeyAnswer, type KeysFunction } from '../../../local/phone.js';
import type { SupportData, Weekday } from '../../../functions/domain/model.js';
import { ROOT, startInProcess, type StartedLine } from '../../e2e/support/npm-start.js';

export const EXAMPLES = join(ROOT, 'examples');

/** The six example files, by name (`examples/<name>.json`). */
export const EXAMPLE_NAMES = ['video-conferencing', 'productivity-worldwide', 'productivity-china', 'collaboration', 'web-shop', 'crm'] as const;

/** A fresh copy of an example file: tests change their copy, never the file. */
export function loadExample(name: (typeof EXAMPLE_NAMES)[number]): SupportData & { $schema?: string } {
  return JSON.parse(readFileSync(join(EXAMPLES, `${name}.json`), 'utf8')) as SupportData & { $schema?: string };
}

const DAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The local date (`YYYY-MM-DD`) of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The local weekday of an instant in a time zone, as the data file writes it. */
export function localWeekday(at: Date, timeZone: string): Weekday {
  const [y, m, d] = localDate(at, timeZone).split('-').map(Number) as [number, number, number];
  return DAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!;
}

/**
 * Today and tomorrow in the line's zone. A test that makes "today" a holiday lists both, so a run that
 * crosses local midnight still finds a holiday; one that opens hours around "now" opens both days.
 */
export function todayAndTomorrow(timeZone: string, now = new Date()): [string, string] {
  return [localDate(now, timeZone), localDate(new Date(now.getTime() + 86_400_000), timeZone)];
}

/**
 * Opening hours shifted onto the test's clock: all of today and tomorrow (local), whatever the weekday and
 * hour the suite runs at. Used where the policy's hours ("Monday to Friday, 9 to 17") would make a test
 * depend on when it runs, and the test is about something else (a holiday, the language, fair use).
 */
export function openNow(timeZone: string, now = new Date()): Record<string, [string, string]> {
  const today = localWeekday(now, timeZone);
  const tomorrow = localWeekday(new Date(now.getTime() + 86_400_000), timeZone);
  return { [`${today},${tomorrow}`]: ['00:00', '24:00'] };
}

/**
 * An IANA zone (`Etc/GMT±N`, whole hours, no daylight saving time) in which the local hour is `hour` now,
 * so a line placed in it is open or closed by the policy's own hours whenever the test runs.
 */
export function zoneWithLocalHour(hour: number, now = new Date()): string {
  let offset = (((hour - now.getUTCHours()) % 24) + 24) % 24;
  if (offset > 14) offset -= 24;
  if (offset === 0) return 'Etc/UTC';
  // POSIX sign: Etc/GMT-8 is eight hours ahead of UTC.
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

export interface ExampleLine extends StartedLine {
  phone(from: string, to: string, extra?: Record<string, string>): Phone;
  /** The tickets of one call (there is at most one). */
  ticketsOf(callSid: string): Promise<Array<Record<string, any>>>;
  ticketOf(callSid: string): Promise<Record<string, any>>;
  post(path: string): Promise<{ status: number; json: any }>;
  /** Messages sent since a mark (`outboxMessages().length` taken before). */
  sentSince(mark: number): ReturnType<StartedLine['outboxMessages']>;
}

/** The local server with the given data (one per test file), and the helpers the tests use on it. */
export async function startExample(data: unknown): Promise<ExampleLine> {
  const line = await startInProcess(data);
  const ticketsOf = async (callSid: string) => {
    const r = await line.api('/api/tickets?limit=1000');
    expect(r.status).toBe(200);
    return (r.json.tickets as Array<Record<string, any>>).filter((t) => t.callSid === callSid);
  };
  return {
    ...line,
    phone: (from, to, extra) => new Phone({ baseUrl: line.base, authToken: line.authToken, from, to, ...(extra ? { extra } : {}) }),
    ticketsOf,
    ticketOf: async (callSid) => {
      const mine = await ticketsOf(callSid);
      expect(mine, `one ticket for call ${callSid}`).toHaveLength(1);
      return mine[0]!;
    },
    post: async (path) => {
      const r = await fetch(line.base + path, { method: 'POST', headers: { authorization: `Bearer ${line.apiToken}` } });
      const text = await r.text();
      return { status: r.status, json: text ? JSON.parse(text) : undefined };
    },
    sentSince: (mark) => line.outboxMessages().slice(mark),
  };
}

/**
 * A caller who answers each prompt by what it asks: the first rule whose pattern matches the prompt gives
 * the keys (a function is asked at that moment, e.g. to read a code from the outbox). No match is silence.
 */
export function answers(rules: Array<[RegExp, KeyAnswer | (() => KeyAnswer)]>): KeysFunction {
  return (prompt) => {
    // Contract §2.8-2.9 v2: these callers want a new ticket when offered their open one, and press nothing while waiting.
    if (/open ticket|otwarte zgłoszenie/i.test(prompt)) return '2';
    if (/keep your place|zachować miejsce/i.test(prompt)) return null;
    for (const [pattern, keys] of rules) if (pattern.test(prompt)) return typeof keys === 'function' ? keys() : keys;
    return null;
  };
}

/**
 * A caller who knows the line: the extension menu, then the priority menu (and the callback offer when
 * closed). Since every line speaks its own language (contract v2 §2.10), the prompt is recognized by the
 * step its Gather posts to, not by English words; any other prompt gets silence.
 */
export function englishCaller(keys: { menu?: string; priority?: string; callback?: string; existing?: string }): KeysFunction {
  return (_prompt, gather) => {
    const step = /\/twilio\/call\/([a-z-]+)/.exec(gather.action ?? '')?.[1];
    // Contract §2.8 v2: offered the open ticket from this number, these callers want a new one (as answers() does).
    if (step === 'existing') return keys.existing ?? '2';
    if (step === 'callback') return keys.callback ?? null;
    if (step === 'priority') return keys.priority ?? null;
    if (step === 'menu') return keys.menu ?? null;
    return null;
  };
}

/** The step a Gather posts to (menu, language, priority, callback, …): how a scripted caller tells prompts apart in any language. */
export function stepOfGather(gather: Readonly<Record<string, string>>): string | undefined {
  return /\/twilio\/call\/([a-z-]+)/.exec(gather.action ?? '')?.[1];
}

/** The ticket number as the agent hears it in the whisper, digit by digit. */
export const spoken = (n: string): string => n.split('').join(', ');

/** The ticket number as the caller hears it (contract §2.6 v2): once, in short groups ("1 0 0, 0 0 4 2"). */
export const spokenToCaller = (n: string): string => ticketDigits('en-US', n);

/** Hours between a ticket's creation and one of its due times. */
export function hoursTo(ticket: Record<string, any>, field: 'firstResponseDue' | 'restoreDue'): number {
  return (Date.parse(ticket[field]) - Date.parse(ticket.createdAt)) / 3_600_000;
}

/** Every `<Say language>` of a call's answers, in order. */
export function sayLanguages(r: CallResult): string[] {
  return r.events.flatMap((e) => [...e.body.matchAll(/<Say language="([^"]+)"/g)].map((m) => m[1]!));
}

/**
 * An agent calls the agents' line, keys id and PIN, and takes the next caller if there is one: the call
 * ends at `<Dial><Queue>` with the whisper heard, or with "no callers" and silence until goodbye.
 */
export async function agentTakesNext(line: ExampleLine, agentsLine: string, id: string, pin: string): Promise<CallResult> {
  return line.phone('+15005550006', agentsLine).call(
    answers([
      [/agent ID|identyfikator/i, `${id}#`],
      [/\bPIN\b/, `${pin}#`],
    ]),
  );
}
