/**
 * A caller, following TwiML as Twilio does: Say is heard, Gather asks the script for keys and posts them
 * to its action, Redirect is followed, Enqueue requests its wait URL once and ends the call in the queue,
 * Hangup ends it. Every request is timed and named by its step, so the bench can report per webhook and
 * the fault tests can hold each answer to "spoken, within 3 s". The transport is in-process or HTTP.
 */
import { childElements, parseTwiml, textOf, type TwimlElement } from '../../local/twiml-parse.js';

export type Transport = (url: string, params: Record<string, string>) => Promise<{ status: number; body: string }>;

/** What a script returns at a Gather to hang up there (the call ends; Twilio would post nothing more). */
export const HANG_UP = '<hang up>';

/** Keys for one Gather (`null` = silence, `HANG_UP`). Gets what was just asked and the Gather's attributes. */
export type Keys = (prompt: string, attrs: Readonly<Record<string, string>>) => string | null | Promise<string | null>;

export interface RequestRecord {
  /** `voice`, `menu`, `priority`, `wait`, `status`, `agent/pin`, ... */
  step: string;
  url: string;
  status: number;
  ms: number;
  body: string;
  /** Says in the answer. */
  said: string[];
}

export interface CallRecord {
  callSid: string;
  heard: string[];
  requests: RequestRecord[];
  end: 'hangup' | 'caller-hung-up' | 'enqueue' | 'dial' | 'end-of-document' | 'error' | 'too-many-steps';
  error?: string;
  enqueue?: TwimlElement;
}

export interface CallScript {
  callSid: string;
  from: string;
  to: string;
  keys: Keys;
  extra?: Record<string, string>;
  /** Called before each webhook after the first (a caller's thinking time). */
  think?: () => Promise<void>;
  maxSteps?: number;
  /** Post the status callback (`completed`) when the call ends. */
  statusCallback?: boolean;
}

/** `https://x/twilio/call/priority?s=4` → `priority`; `/twilio/voice` → `voice`; `/twilio/agent/pin` → `agent/pin`. */
export function stepOf(url: string): string {
  const path = new URL(url, 'http://x').pathname;
  if (path.startsWith('/twilio/call/')) return path.slice('/twilio/call/'.length);
  return path.replace(/^\/twilio\//, '');
}

/** Says anywhere in a TwiML answer, in document order. */
export function saysOf(root: TwimlElement): string[] {
  const out: string[] = [];
  const walk = (el: TwimlElement) => {
    for (const c of childElements(el)) {
      if (c.name === 'Say') out.push(textOf(c));
      else walk(c);
    }
  };
  walk(root);
  return out;
}

export async function placeCall(send: Transport, script: CallScript): Promise<CallRecord> {
  const rec: CallRecord = { callSid: script.callSid, heard: [], requests: [], end: 'error' };
  const base = {
    AccountSid: `AC${'a'.repeat(32)}`,
    CallSid: script.callSid,
    From: script.from,
    To: script.to,
    Called: script.to,
    Caller: script.from,
    Direction: 'inbound',
    ApiVersion: '2010-04-01',
    ...script.extra,
  };
  const request = async (url: string, more: Record<string, string>): Promise<TwimlElement> => {
    const t0 = performance.now();
    const res = await send(url, { ...base, CallStatus: 'in-progress', ...more });
    const ms = performance.now() - t0;
    let root: TwimlElement | undefined;
    let said: string[] = [];
    if (res.status === 200) {
      root = parseTwiml(res.body);
      said = saysOf(root);
    }
    rec.requests.push({ step: stepOf(url), url, status: res.status, ms, body: res.body, said });
    if (!root) throw new Error(`HTTP ${res.status} from ${url}: ${res.body.slice(0, 200)}`);
    if (root.name !== 'Response') throw new Error(`not a TwiML <Response> from ${url}`);
    return root;
  };
  try {
    let url = '/twilio/voice';
    let doc = await request(url, { CallStatus: 'ringing' });
    let steps = 0;
    outer: while (steps++ < (script.maxSteps ?? 30)) {
      for (const verb of childElements(doc)) {
        switch (verb.name) {
          case 'Say':
            rec.heard.push(textOf(verb));
            break;
          case 'Gather': {
            const prompt = childElements(verb, 'Say').map(textOf).join(' ');
            if (prompt) rec.heard.push(prompt);
            const keys = await script.keys(prompt || rec.heard.at(-1) || '', verb.attrs);
            if (keys === HANG_UP) {
              rec.end = 'caller-hung-up';
              break outer;
            }
            const digits = gatherDigits(keys, verb.attrs);
            if (!digits && verb.attrs.actionOnEmptyResult !== 'true') break;
            await script.think?.();
            url = verb.attrs.action ?? url;
            doc = await request(url, { Digits: digits });
            continue outer;
          }
          case 'Redirect':
            url = textOf(verb);
            doc = await request(url, {});
            continue outer;
          case 'Hangup':
          case 'Reject':
            rec.end = 'hangup';
            break outer;
          case 'Enqueue': {
            rec.enqueue = verb;
            if (verb.attrs.waitUrl) {
              const wait = await request(verb.attrs.waitUrl, {
                QueuePosition: '1',
                QueueSid: `QU${'b'.repeat(32)}`,
                QueueTime: '5',
                AvgQueueTime: '30',
                CurrentQueueSize: '1',
              });
              rec.heard.push(...saysOf(wait));
            }
            rec.end = 'enqueue';
            break outer;
          }
          case 'Dial':
            rec.end = 'dial';
            break outer;
          default:
            break;
        }
      }
      rec.end = 'end-of-document';
      break;
    }
    if (steps > (script.maxSteps ?? 30)) rec.end = 'too-many-steps';
    if (script.statusCallback) await request('/twilio/status', { CallStatus: 'completed', CallDuration: '42' });
  } catch (e) {
    rec.end = 'error';
    rec.error = e instanceof Error ? e.message : String(e);
  }
  return rec;
}

/** What Twilio posts as `Digits` for `keys` at a Gather: up to the finishOnKey or numDigits keys. */
export function gatherDigits(keys: string | null, attrs: Readonly<Record<string, string>>): string {
  if (!keys) return '';
  const finish = attrs.finishOnKey ?? '#';
  const max = Number(attrs.numDigits) > 0 ? Number(attrs.numDigits) : Infinity;
  let out = '';
  for (const ch of keys) {
    if (finish && finish.includes(ch)) break;
    out += ch;
    if (out.length >= max) break;
  }
  return out;
}
