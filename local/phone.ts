/**
 * A terminal phone: places a call against the webhooks exactly as Twilio would (signed form posts, the same
 * parameters, TwiML followed verb by verb) so newcomers can try the line without a Twilio account and
 * end-to-end tests can drive it without a real call. It only talks HTTP, so it works against the local
 * server and a deployed stage alike (`publicBaseUrl` is what signatures cover when that differs from where
 * requests go, e.g. through a tunnel).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { childElements, parseTwiml, textOf, type TwimlElement } from './twiml-parse.js';

/** What the caller presses at one `<Gather>`: a key string such as `'2'` or `'40012345#'`; `null` = silence. */
export type KeyAnswer = string | null;

/** Asked once per `<Gather>` with what the caller was just asked and the Gather's attributes. */
export type KeysFunction = (prompt: string, gather: Readonly<Record<string, string>>) => KeyAnswer | undefined | Promise<KeyAnswer | undefined>;

/** One entry per `<Gather>` in order (missing entries are silence), or a function that answers each prompt. */
export type KeysSource = ReadonlyArray<KeyAnswer> | KeysFunction;

export interface PhoneOptions {
  /** Where requests go, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** The auth token the server checks signatures with. */
  authToken: string;
  /** The caller's number (E.164). */
  from: string;
  /** The dialed number (E.164): picks the line. */
  to: string;
  /** Defaults to a random `CA…` SID. */
  callSid?: string;
  /** Defaults to a random `AC…` SID. */
  accountSid?: string;
  /** More request parameters on every webhook, e.g. `{ StirVerstat: 'TN-Validation-Passed-A' }`. */
  extra?: Record<string, string>;
  /** The base URL signatures are computed over, when the server sees a different one than `baseUrl`. Default `baseUrl`. */
  publicBaseUrl?: string;
  /** Webhook requests per call before the phone gives up on a loop. Default 60. */
  maxSteps?: number;
  /** Twilio abandons a webhook after 15 s; so does the phone. */
  timeoutMs?: number;
  /** Send every webhook twice with the same idempotency token (as a Twilio retry does) and follow the second answer. */
  duplicateRequests?: boolean;
  /** Live progress, for the CLI: called as things happen, before `call()` resolves. */
  listener?: PhoneListener;
  /**
   * Stay on the line after `<Enqueue>` or `<Dial>` until this resolves (the CLI: Ctrl-C). Meanwhile the
   * wait URL is requested again every `holdRefreshMs`, as Twilio does while a caller is on hold. When it
   * resolves, an `<Enqueue>` call ends (the caller hung up, or follows the Enqueue action if a key pressed
   * through `waitAgain` left the queue) and a `<Dial>` with an `action` follows it (the other party hung
   * up: the agent's wrap-up, then the next caller). None: stop at the verb.
   */
  hold?: (on: HoldControl) => Promise<void>;
  /** How often the wait URL is requested again while holding; default 20 s; 0 = only through `waitAgain`. */
  holdRefreshMs?: number;
  /**
   * The queue is at its maximum size: Twilio does not queue the caller but requests the `<Enqueue action>` at
   * once with `QueueResult=queue-full`, and the call follows that answer.
   */
  queueFull?: boolean;
}

/** What a `hold` function may do while the call holds: a script drives the wait URL itself, without timers. */
export interface HoldControl {
  /** The queue being waited in (`<Enqueue>`), or the `<Dial>` being held (each Dial of the call in turn). */
  enqueued?: EnqueueOutcome;
  dialed?: DialOutcome;
  /**
   * Requests the wait URL again now, as Twilio does when the hold music has played, and presses `keys` at
   * its `<Gather>` (silence by default). Resolves with what the caller heard from it (and from the key's
   * answer). A `<Leave/>` in that answer takes the caller out of the queue: when `hold` resolves, the
   * call follows the Enqueue action with `QueueResult=leave`. Does nothing while holding a `<Dial>`.
   */
  waitAgain(keys?: KeyAnswer): Promise<string[]>;
}

export interface PhoneListener {
  heard?(text: string): void;
  /** A `<Gather>` is waiting for keys (called before the keys source is asked). */
  prompt?(prompt: string, attrs: Readonly<Record<string, string>>): void;
  /** What was pressed at that `<Gather>` and the `Digits` it makes. */
  gather?(info: GatherInfo): void;
  request?(event: PhoneEvent): void;
}

export interface GatherInfo {
  prompt: string;
  attrs: Readonly<Record<string, string>>;
  /** What the caller pressed (`null` = silence). */
  keys: KeyAnswer;
  /** What Twilio posts as `Digits`. */
  digits: string;
}

/** One webhook request and its answer. */
export interface PhoneEvent {
  method: 'GET' | 'POST';
  /** The URL requested (for GET including the call parameters in the query). */
  url: string;
  /** Path and query of `url`, for assertions that ignore the host. */
  path: string;
  /** The form parameters (POST) or the added query parameters (GET). */
  params: Record<string, string>;
  /** HTTP status; 0 when there was no answer at all. */
  status: number;
  /** The response body (TwiML), or the network error. */
  body: string;
  /** The second copy of a duplicated request. */
  replay?: boolean;
}

export interface EnqueueOutcome {
  queue: string;
  attrs: Record<string, string>;
  task?: { text: string; attrs: Record<string, string>; json?: unknown };
  /** What the wait URL said (also in `heard`). */
  waitHeard: string[];
  /** What the wait URL played (`<Play>`: the hold music), in order. */
  waitPlayed: string[];
  waitError?: string;
}

export interface DialTarget {
  kind: string;
  value: string;
  url?: string;
  attrs: Record<string, string>;
}

export interface DialOutcome {
  attrs: Record<string, string>;
  targets: DialTarget[];
}

export type EndReason = 'hangup' | 'reject' | 'end-of-document' | 'enqueue' | 'dial' | 'leave' | 'error';

export interface CallResult {
  callSid: string;
  /** Every `<Say>` in order, including the prompts inside `<Gather>` and the wait URL's. */
  heard: string[];
  /** The prompt of each `<Gather>`, in order. */
  prompts: string[];
  /** The keys given at each `<Gather>` (`null` = silence). */
  pressed: KeyAnswer[];
  transcript(): string;
  events: PhoneEvent[];
  enqueued?: EnqueueOutcome;
  dialed?: DialOutcome;
  ended: boolean;
  endedBy?: EndReason;
  /** Set when the call went wrong: an HTTP error, no answer, unparseable TwiML, a loop. */
  error?: string;
  /** TwiML the phone did not act on (verbs it does not simulate). */
  warnings: string[];
}

/**
 * The `Digits` Twilio posts when the caller presses `keys` during a `<Gather>`: input stops at a finishOnKey
 * (default `#`, not included; `finishOnKey=""` disables it) or once `numDigits` keys are in; later keys are
 * lost. A speech-only Gather hears no keys. `''` means no input. Whitespace is ignored; anything that is
 * not a phone key is a mistake in the test or script and throws.
 */
export function gatherDigits(keys: KeyAnswer | undefined, attrs: Readonly<Record<string, string>> = {}): string {
  if (keys === null || keys === undefined) return '';
  const pressed = keys.replace(/\s+/g, '');
  if (!/^[0-9*#]*$/.test(pressed)) throw new TypeError(`not phone keys: ${JSON.stringify(keys)} (use 0-9, * and #)`);
  if (attrs.input !== undefined && !/\bdtmf\b/i.test(attrs.input)) return '';
  const finish = attrs.finishOnKey ?? '#';
  const n = Number(attrs.numDigits);
  const max = Number.isInteger(n) && n > 0 ? n : Infinity;
  let digits = '';
  for (const key of pressed) {
    if (finish.includes(key)) break;
    digits += key;
    if (digits.length >= max) break;
  }
  return digits;
}

/** Which finishOnKey ended the input, as Twilio reports it in `FinishedOnKey` ('' if none did). */
function finishedOnKey(keys: string, attrs: Readonly<Record<string, string>>): string {
  const finish = attrs.finishOnKey ?? '#';
  if (!finish) return '';
  const n = Number(attrs.numDigits);
  const max = Number.isInteger(n) && n > 0 ? n : Infinity;
  let count = 0;
  for (const key of keys.replace(/\s+/g, '')) {
    if (finish.includes(key)) return key;
    if (++count >= max) return '';
  }
  return '';
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const trimSlash = (u: string) => u.replace(/\/+$/, '');
const method = (m: string | undefined): 'GET' | 'POST' => (m?.toUpperCase() === 'GET' ? 'GET' : 'POST');

/** The next step after one verb: go on, fetch another document, or the call is over. */
type Step = { kind: 'next' } | { kind: 'fetch'; url: string; method: 'GET' | 'POST'; params: Record<string, string> } | { kind: 'end'; reason: EndReason };

class CallFailed extends Error {}

export class Phone {
  readonly callSid: string;
  readonly accountSid: string;
  private readonly base: string;
  private readonly publicBase: string;
  private readonly result: CallResult;
  private steps = 0;
  private started = false;
  private startedAt = Date.now();
  private statusSequence = 0;
  private queueSid?: string;

  constructor(private readonly opts: PhoneOptions) {
    this.callSid = opts.callSid ?? 'CA' + hex(16);
    this.accountSid = opts.accountSid ?? 'AC' + hex(16);
    this.base = trimSlash(new URL(opts.baseUrl).toString());
    this.publicBase = trimSlash(new URL(opts.publicBaseUrl ?? opts.baseUrl).toString());
    const heard: string[] = [];
    this.result = {
      callSid: this.callSid,
      heard,
      prompts: [],
      pressed: [],
      transcript: () => heard.join(' | '),
      events: [],
      ended: false,
      warnings: [],
    };
  }

  /**
   * Places the call and follows the TwiML until it ends. Resolves (never rejects on HTTP trouble) with what
   * the caller heard and did; `error` says what went wrong. Rejects only on a mistake of the caller's
   * script (keys that are not phone keys) or when called twice.
   */
  async call(keys: KeysSource = []): Promise<CallResult> {
    if (this.started) throw new Error('this Phone already placed its call; make a new Phone for another');
    this.started = true;
    this.startedAt = Date.now();
    const queue = typeof keys === 'function' ? undefined : [...keys];
    const answer = async (prompt: string, attrs: Record<string, string>): Promise<KeyAnswer> => {
      if (queue) return queue.length ? (queue.shift() ?? null) : null;
      return (await (keys as KeysFunction)(prompt, attrs)) ?? null;
    };

    const r = this.result;
    try {
      let step: Step = { kind: 'fetch', url: this.publicBase + '/twilio/voice', method: 'POST', params: { CallStatus: 'ringing' } };
      while (step.kind === 'fetch') {
        const { url, root } = await this.webhook(step.url, step.method, step.params);
        step = { kind: 'end', reason: 'end-of-document' }; // a document that runs out of verbs ends the call
        for (const verb of childElements(root)) {
          const next = await this.verb(verb, url, answer);
          if (next.kind !== 'next') {
            step = next;
            break;
          }
        }
      }
      r.endedBy = step.reason;
    } catch (e) {
      if (!(e instanceof CallFailed)) throw e;
      r.error = e.message;
      r.endedBy = 'error';
    }
    r.ended = true;
    return r;
  }

  /**
   * Posts the status callback Twilio sends when the call is over (`completed` by default: the caller hung
   * up, e.g. while waiting in the queue). Signed like every webhook; resolves with the request's event.
   */
  async hangup(status: 'completed' | 'busy' | 'no-answer' | 'canceled' | 'failed' = 'completed'): Promise<PhoneEvent> {
    const duration = String(Math.max(0, Math.round((Date.now() - this.startedAt) / 1000)));
    const params = this.params({
      CallStatus: status,
      CallDuration: duration,
      Duration: String(Math.ceil(Number(duration) / 60)),
      CallbackSource: 'call-progress-events',
      SequenceNumber: String(this.statusSequence++),
      Timestamp: new Date().toUTCString(),
    });
    const event = await this.send(this.publicBase + '/twilio/status', 'POST', params);
    return event;
  }

  /** Acts on one verb of the current document. */
  private async verb(verb: TwimlElement, url: string, answer: (prompt: string, attrs: Record<string, string>) => Promise<KeyAnswer>): Promise<Step> {
    const r = this.result;
    const abs = (ref: string | undefined) => new URL(ref?.trim() || url, url).toString();
    switch (verb.name) {
      case 'Say':
        this.hear(textOf(verb));
        return { kind: 'next' };
      case 'Play':
      case 'Pause':
        return { kind: 'next' };
      case 'Gather': {
        const nested = childElements(verb, 'Say').map(textOf).filter(Boolean);
        for (const s of nested) this.hear(s);
        const prompt = nested.join(' ') || r.heard[r.heard.length - 1] || '';
        r.prompts.push(prompt);
        this.opts.listener?.prompt?.(prompt, verb.attrs);
        const keys = await answer(prompt, { ...verb.attrs });
        r.pressed.push(keys);
        const digits = gatherDigits(keys, verb.attrs);
        this.opts.listener?.gather?.({ prompt, attrs: verb.attrs, keys, digits });
        if (!digits && verb.attrs.actionOnEmptyResult !== 'true') return { kind: 'next' }; // Twilio goes on after the Gather
        const params: Record<string, string> = { Digits: digits };
        if (!verb.attrs.input || /\bdtmf\b/i.test(verb.attrs.input)) params.FinishedOnKey = keys ? finishedOnKey(keys, verb.attrs) : '';
        return { kind: 'fetch', url: abs(verb.attrs.action), method: method(verb.attrs.method), params };
      }
      case 'Redirect':
        return { kind: 'fetch', url: abs(textOf(verb)), method: method(verb.attrs.method), params: {} };
      case 'Hangup':
        return { kind: 'end', reason: 'hangup' };
      case 'Reject':
        return { kind: 'end', reason: 'reject' };
      case 'Leave':
        return { kind: 'end', reason: 'leave' };
      case 'Enqueue': {
        const taskEl = childElements(verb, 'Task')[0];
        const enqueued: EnqueueOutcome = {
          queue: verb.children
            .filter((c) => 'text' in c)
            .map((c) => ('text' in c ? c.text : ''))
            .join('')
            .trim(),
          attrs: { ...verb.attrs },
          waitHeard: [],
          waitPlayed: [],
        };
        if (taskEl) {
          const text = textOf(taskEl);
          enqueued.task = { text, attrs: { ...taskEl.attrs } };
          try {
            enqueued.task.json = JSON.parse(text);
          } catch {
            /* a Task need not be JSON for the phone; the server's tests check its content */
          }
        }
        r.enqueued = enqueued;
        const action = verb.attrs.action ? { url: abs(verb.attrs.action), method: method(verb.attrs.method) } : undefined;
        if (this.opts.queueFull) {
          if (!action) return { kind: 'end', reason: 'enqueue' };
          return { kind: 'fetch', ...action, params: { QueueResult: 'queue-full', QueueTime: '0' } };
        }
        const enqueuedAt = Date.now();
        const wait = (keys: (prompt: string, attrs: Record<string, string>) => Promise<KeyAnswer>) =>
          verb.attrs.waitUrl
            ? this.waitInQueue(abs(verb.attrs.waitUrl), method(verb.attrs.waitUrlMethod), enqueued, keys, Math.round((Date.now() - enqueuedAt) / 1000))
            : Promise.resolve(false);
        let left = await wait(answer);
        // `<Leave/>` in the wait music: Twilio takes the caller out of the queue and requests the Enqueue action.
        const leave = () => ({
          kind: 'fetch' as const,
          ...action!,
          params: { QueueResult: 'leave', QueueTime: String(Math.round((Date.now() - enqueuedAt) / 1000)) },
        });
        if (left && action) return leave();
        if (this.opts.hold && !r.error) {
          // Timed refreshes are heard, not answered: the keys source answers the first wait prompt only.
          const silent = async () => null;
          const waitAgain = async (keys: KeyAnswer = null): Promise<string[]> => {
            if (left || r.error || !verb.attrs.waitUrl) return [];
            const from = r.heard.length;
            left = await wait(async () => keys);
            return r.heard.slice(from);
          };
          await this.holding({ enqueued, waitAgain }, verb.attrs.waitUrl ? async () => void (left || (await wait(silent))) : undefined);
          if (left && action && !r.error) return leave();
          return { kind: 'end', reason: 'hangup' };
        }
        return { kind: 'end', reason: 'enqueue' };
      }
      case 'Dial': {
        const targets: DialTarget[] = childElements(verb).map((c) => ({
          kind: c.name,
          value: textOf(c),
          ...(c.attrs.url !== undefined ? { url: abs(c.attrs.url) } : {}),
          attrs: { ...c.attrs },
        }));
        const bare = verb.children
          .map((c) => ('text' in c ? c.text : ''))
          .join('')
          .trim();
        if (bare) targets.unshift({ kind: 'Number', value: bare, attrs: {} });
        r.dialed = { attrs: { ...verb.attrs }, targets };
        if (this.opts.hold) {
          await this.holding({ dialed: r.dialed, waitAgain: async () => [] });
          if (verb.attrs.action)
            return {
              kind: 'fetch',
              url: abs(verb.attrs.action),
              method: method(verb.attrs.method),
              params: { DialCallStatus: 'completed', DialCallDuration: '60' },
            };
          return { kind: 'end', reason: 'hangup' };
        }
        return { kind: 'end', reason: 'dial' };
      }
      default:
        r.warnings.push(`<${verb.name}> is not simulated; skipped`);
        return { kind: 'next' };
    }
  }

  /** Waits for `hold` to resolve, refreshing the wait URL meanwhile (a failed refresh ends the hold as an error). */
  private async holding(control: HoldControl, refresh?: () => Promise<void>): Promise<void> {
    let released = false;
    const release = this.opts.hold!(control).then(() => void (released = true));
    const every = this.opts.holdRefreshMs ?? 20_000;
    if (!every || !refresh) return release;
    while (!released && !this.result.error) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([release, new Promise((r) => (timer = setTimeout(r, every)))]);
      clearTimeout(timer);
      if (!released && refresh) await refresh();
    }
    await release;
  }

  /**
   * Requests the wait URL once, as Twilio does when the caller joins the queue, and hears its `<Say>`s. A
   * `<Gather>` in it is answered once by the keys source (keys pressed while waiting, e.g. `1` for a
   * callback); its action's answer is heard too. True when the caller left the queue by `<Leave/>`.
   */
  private async waitInQueue(
    url: string,
    m: 'GET' | 'POST',
    enqueued: EnqueueOutcome,
    answer: (prompt: string, attrs: Record<string, string>) => Promise<KeyAnswer>,
    queueTimeS = 0,
  ): Promise<boolean> {
    this.queueSid ??= 'QU' + hex(16);
    const queueParams = {
      QueuePosition: '1',
      QueueSid: this.queueSid,
      QueueTime: String(queueTimeS),
      AvgQueueTime: '0',
      CurrentQueueSize: '1',
      MaxQueueSize: '100',
    };
    const hearAll = (root: TwimlElement): TwimlElement | undefined => {
      let gather: TwimlElement | undefined;
      for (const verb of childElements(root)) {
        const inside = verb.name === 'Gather' ? childElements(verb) : [verb];
        for (const s of inside) {
          if (s.name === 'Play') enqueued.waitPlayed.push(textOf(s));
          if (s.name !== 'Say') continue;
          const text = textOf(s);
          enqueued.waitHeard.push(text);
          this.hear(text);
        }
        if (verb.name === 'Gather') gather ??= verb;
      }
      return gather;
    };
    try {
      const { url: docUrl, root } = await this.webhook(url, m, queueParams);
      const gather = hearAll(root);
      if (!gather) return false;
      // Asked like any prompt, but kept out of `prompts` and `pressed`: those are the call's menus before the queue.
      const prompt = childElements(gather, 'Say').map(textOf).join(' ');
      this.opts.listener?.prompt?.(prompt, gather.attrs);
      const keys = await answer(prompt, { ...gather.attrs });
      const digits = gatherDigits(keys, gather.attrs);
      this.opts.listener?.gather?.({ prompt, attrs: gather.attrs, keys, digits });
      if (!digits) return false;
      const keyUrl = new URL(gather.attrs.action?.trim() || docUrl, docUrl).toString();
      const { root: after } = await this.webhook(keyUrl, method(gather.attrs.method), { ...queueParams, Digits: digits });
      hearAll(after);
      return childElements(after).some((v) => v.name === 'Leave');
    } catch (e) {
      if (!(e instanceof CallFailed)) throw e;
      enqueued.waitError = e.message;
      this.result.error = e.message; // Twilio would play its application error to a caller on hold
      return false;
    }
  }

  private hear(text: string): void {
    if (!text) return;
    this.result.heard.push(text);
    this.opts.listener?.heard?.(text);
  }

  /** Twilio's parameters of this call; later steps say `in-progress`. */
  private params(more: Record<string, string>): Record<string, string> {
    return {
      AccountSid: this.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: this.callSid,
      CallStatus: 'in-progress',
      Called: this.opts.to,
      Caller: this.opts.from,
      Direction: 'inbound',
      From: this.opts.from,
      To: this.opts.to,
      ...this.opts.extra,
      ...more,
    };
  }

  /** One step of the call: request, check for 200 and parse the TwiML, or fail the call. */
  private async webhook(publicUrl: string, m: 'GET' | 'POST', more: Record<string, string>): Promise<{ url: string; root: TwimlElement }> {
    const max = this.opts.maxSteps ?? 60;
    if (++this.steps > max) throw new CallFailed(`more than ${max} webhook requests in one call: the TwiML loops`);
    const params = this.params(more);
    let event = await this.send(publicUrl, m, params);
    if (this.opts.duplicateRequests && event.status !== 0) event = await this.send(publicUrl, m, params, event.idem);
    if (event.status !== 200) {
      throw new CallFailed(event.status === 0 ? event.body : `HTTP ${event.status} from ${m} ${event.path}: ${event.body.slice(0, 300)}`);
    }
    let root: TwimlElement;
    try {
      root = parseTwiml(event.body);
    } catch (e) {
      throw new CallFailed(`not TwiML from ${m} ${event.path}: ${(e as Error).message}`);
    }
    if (root.name !== 'Response') throw new CallFailed(`TwiML from ${m} ${event.path} has <${root.name}>, not <Response>, at its root`);
    return { url: event.signedUrl, root };
  }

  /**
   * Sends one signed request. The signature covers the public URL (for GET with the parameters in its query
   * and no body parameters, as Twilio signs GETs); the request goes to the same path under `baseUrl`.
   */
  private async send(
    publicUrl: string,
    m: 'GET' | 'POST',
    params: Record<string, string>,
    replayOf?: string,
  ): Promise<PhoneEvent & { signedUrl: string; idem: string }> {
    let signedUrl = new URL(publicUrl).toString();
    if (m === 'GET') {
      const query = new URLSearchParams(params).toString();
      signedUrl = new URL(signedUrl + (new URL(signedUrl).search ? '&' : '?') + query).toString();
    }
    const target = this.toTarget(signedUrl);
    const idem = replayOf ?? `${this.callSid}-${randomUUID()}`;
    const headers: Record<string, string> = {
      'X-Twilio-Signature': getExpectedTwilioSignature(this.opts.authToken, signedUrl, m === 'GET' ? {} : params),
      'I-Twilio-Idempotency-Token': idem,
      'User-Agent': 'TwilioProxy/1.1',
      Accept: '*/*',
    };
    if (m === 'POST') headers['Content-Type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    const u = new URL(target);
    const base = { method: m, url: target, path: u.pathname + u.search, params, ...(replayOf ? { replay: true } : {}) };
    let event: PhoneEvent;
    try {
      const res = await fetch(target, {
        method: m,
        headers,
        body: m === 'POST' ? new URLSearchParams(params).toString() : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
      });
      event = { ...base, status: res.status, body: await res.text() };
    } catch (e) {
      event = { ...base, status: 0, body: describeFetchError(e, target) };
    }
    this.result.events.push(event);
    this.opts.listener?.request?.(event);
    return { ...event, signedUrl, idem };
  }

  /** The URL to request for a public URL: same path under `baseUrl` when it is ours, else unchanged. */
  private toTarget(publicUrl: string): string {
    const p = this.publicBase;
    if (p === this.base) return publicUrl;
    if (publicUrl === p || publicUrl.startsWith(p + '/') || publicUrl.startsWith(p + '?')) return this.base + publicUrl.slice(p.length);
    return publicUrl;
  }
}

function describeFetchError(e: unknown, url: string): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return `no answer from ${url} in time (Twilio gives up after 15 s)`;
  const why = err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
  return `could not reach ${url}: ${why}`;
}
