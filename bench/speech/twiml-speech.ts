/**
 * What a caller sits through in one TwiML answer, in order: every <Say> (its exact text, language and
 * voice), <Pause> and <Play>, up to where the caller leaves the document (the Gather they answer, or an
 * Enqueue, Redirect, Hangup, Dial). Speech inside a <Gather> can be cut short by a key (bargeable);
 * speech outside it cannot, and when it comes before a Gather it delays the prompt the caller waits for.
 * Pure: no I/O, so the test can hold it to fixed TwiML.
 */
import { childElements, parseTwiml, textOf, type TwimlElement } from '../../local/twiml-parse.js';

/** Twilio's default `<Say language>` when none is given. */
export const DEFAULT_SAY_LANGUAGE = 'en-US';
/** Twilio's default `<Pause length>`. */
export const DEFAULT_PAUSE_SECONDS = 1;

/**
 * Where a segment sits: inside the Gather the caller answers, outside before that Gather (no key can cut
 * it, and the prompt waits for it), or outside before the document ends the turn another way (queue,
 * hang-up, redirect).
 */
export type Placement = 'gather' | 'before-gather' | 'before-exit';

export interface Segment {
  /** The webhook step that answered with it (`voice`, `menu`, `priority`, ...). */
  step: string;
  /** Which answer of the call it is in (0 = the first webhook's): a re-prompt of the same step is another turn. */
  turn: number;
  kind: 'say' | 'pause' | 'play';
  /** The words of a Say as a listener hears them (SSML flattened); the URL of a Play; '' for a Pause. */
  text: string;
  /** The Say's `language` (Twilio's default when absent); '' for a Pause or Play. */
  language: string;
  voice?: string;
  /** How often it is played (`loop`, at least 1). */
  loop: number;
  /** A Pause's length in seconds. */
  pauseSeconds?: number;
  placement: Placement;
  bargeable: boolean;
}

/** How the caller leaves the document. */
export type Exit = 'gather' | 'enqueue' | 'redirect' | 'hangup' | 'dial' | 'end';

const EXITS: Record<string, Exit> = {
  Gather: 'gather',
  Enqueue: 'enqueue',
  Redirect: 'redirect',
  Hangup: 'hangup',
  Reject: 'hangup',
  Leave: 'end',
  Dial: 'dial',
};

/**
 * Segments of one answer up to the caller's exit. The scripted caller answers every Gather, so nothing
 * after the first Gather is heard in that turn (Twilio moves to the Gather's action).
 */
export function spokenSegments(twiml: string | TwimlElement, step: string, turn = 0): { segments: Segment[]; exit: Exit } {
  const root = typeof twiml === 'string' ? parseTwiml(twiml) : twiml;
  const outside: Array<Omit<Segment, 'placement' | 'bargeable'>> = [];
  const inside: Segment[] = [];
  let exit: Exit = 'end';
  for (const verb of childElements(root)) {
    const seg = segmentOf(verb, step, turn);
    if (seg) {
      outside.push(seg);
      continue;
    }
    const verbExit = EXITS[verb.name];
    if (!verbExit) continue;
    exit = verbExit;
    if (verb.name === 'Gather') {
      for (const c of childElements(verb)) {
        const s = segmentOf(c, step, turn);
        if (s) inside.push({ ...s, placement: 'gather', bargeable: true });
      }
    }
    break;
  }
  const placement: Placement = exit === 'gather' ? 'before-gather' : 'before-exit';
  return { segments: [...outside.map((s) => ({ ...s, placement, bargeable: false })), ...inside], exit };
}

function segmentOf(el: TwimlElement, step: string, turn: number): Omit<Segment, 'placement' | 'bargeable'> | undefined {
  const loop = Math.max(1, Number.parseInt(el.attrs.loop ?? '1', 10) || 1);
  if (el.name === 'Say') {
    return {
      step,
      turn,
      kind: 'say',
      text: textOf(el),
      language: el.attrs.language || DEFAULT_SAY_LANGUAGE,
      ...(el.attrs.voice ? { voice: el.attrs.voice } : {}),
      loop,
    };
  }
  if (el.name === 'Pause') {
    const length = Number(el.attrs.length ?? DEFAULT_PAUSE_SECONDS);
    return {
      step,
      turn,
      kind: 'pause',
      text: '',
      language: '',
      loop: 1,
      pauseSeconds: Number.isFinite(length) && length >= 0 ? length : DEFAULT_PAUSE_SECONDS,
    };
  }
  if (el.name === 'Play') return { step, turn, kind: 'play', text: textOf(el), language: '', loop };
  return undefined;
}

/** One webhook answer of a call, as the driver recorded it. */
export interface AnsweredRequest {
  step: string;
  status: number;
  body: string;
}

export interface CallSpeech {
  /** From the answer to the queue (or to wherever the call ended), in order. */
  segments: Segment[];
  /** How the call left the product's flow: `enqueue` when it reached the queue. */
  end: Exit | 'error';
  /** What the first wait announcement says once queued (not counted in the time to the queue). */
  afterQueue: Segment[];
}

/**
 * Segments of a whole call, in order, from the webhook answers in the order they were made. Everything
 * up to the first <Enqueue> counts; the wait URL's answer after it is kept apart.
 */
export function callSpeech(requests: readonly AnsweredRequest[]): CallSpeech {
  const segments: Segment[] = [];
  const afterQueue: Segment[] = [];
  let end: CallSpeech['end'] = 'end';
  let queued = false;
  for (const [turn, r] of requests.entries()) {
    if (r.step === 'status') continue;
    if (r.status !== 200) {
      if (!queued) end = 'error';
      break;
    }
    const { segments: s, exit } = spokenSegments(r.body, r.step, turn);
    if (queued) {
      afterQueue.push(...s);
      continue;
    }
    segments.push(...s);
    end = exit;
    if (exit === 'enqueue') queued = true;
  }
  return { segments, end, afterQueue };
}
