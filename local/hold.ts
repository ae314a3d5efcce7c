/**
 * Holding a caller's webhook that waited too long for its turn (admission.ts). Twilio gives up on a
 * webhook after 15 s; a caller step still queued after `HOLD_AFTER_MS` is answered with a redirect back to
 * this server instead, and the step runs when Twilio follows it, ahead of newer requests.
 *
 * Twilio follows a <Redirect> with the call's parameters but not the step's own (the keys pressed,
 * `Digits`), so the request is not re-run from the redirect: the server keeps the original request (its
 * target, headers with Twilio's signature, and body) under a random single-use token named in the redirect
 * URL, and runs that original when the redirect comes back, exactly as if Twilio had sent it then. The
 * handler therefore checks the original signature and sees the original keys.
 *
 * The redirect has no <Say>: the server does not know the call's language without reading its state from
 * the database it is protecting, and every spoken word comes from the catalogs in the call's language.
 * The caller hears a little more silence, never a lost step.
 */
import { randomUUID } from 'node:crypto';
import { renderTwiml } from '../functions/adapters/twilio/twiml.js';

/** Queued this long (from the request's arrival), a caller step is answered with a hold: Twilio waits 15 s. */
export const HOLD_AFTER_MS = 10_000;
/** The query parameter of a hold's redirect that names the kept request. */
export const HOLD_PARAM = 'held';
/** A kept request whose redirect never came back (the caller hung up) is dropped after this long. */
const KEEP_MS = 120_000;

export interface KeptRequest {
  /** Path and query as the request came (what its signature covers). */
  target: string;
  headers: Record<string, string>;
  body: Buffer;
  callSid: string;
  /** When the request first arrived (`performance.now()`), kept across holds: returning requests go oldest first. */
  since: number;
  keptAt: number;
}

export class HeldRequests {
  private readonly kept = new Map<string, KeptRequest>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Keeps a request for its redirect; the token goes into the redirect URL. */
  keep(req: Omit<KeptRequest, 'keptAt'>): string {
    this.sweep();
    const token = randomUUID().replaceAll('-', '');
    this.kept.set(token, { ...req, keptAt: this.now() });
    return token;
  }

  /** The request a redirect names, once, and only for the same call; else undefined (a stale or forged token). */
  take(token: string, callSid: string): KeptRequest | undefined {
    const req = this.kept.get(token);
    if (!req || req.callSid !== callSid || this.now() - req.keptAt > KEEP_MS) return undefined;
    this.kept.delete(token);
    return req;
  }

  get size(): number {
    return this.kept.size;
  }

  private sweep(): void {
    const now = this.now();
    // Map order is insertion order, so the oldest come first.
    for (const [token, req] of this.kept) {
      if (now - req.keptAt <= KEEP_MS) break;
      this.kept.delete(token);
    }
  }
}

/** Where the hold's URL goes in the answer rendered once (`renderTwiml` costs more than the rest of a hold). */
const PLACEHOLDER = 'https://hold.invalid/step';
const HOLD_TEMPLATE = renderTwiml({ language: 'en-US', verbs: [{ kind: 'redirect', url: PLACEHOLDER }] }, '');

/** The hold answer: a redirect to the same step with the kept request's token, nothing spoken. */
export function holdTwiml(target: string, token: string, baseUrl: string): string {
  const url = new URL(target, 'http://local');
  url.searchParams.set(HOLD_PARAM, token);
  return HOLD_TEMPLATE.replace(PLACEHOLDER, escapeXml(baseUrl + url.pathname + url.search));
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The CallSid of a form-encoded webhook body ('' if none). */
export function callSidOf(body: Buffer): string {
  return new URLSearchParams(body.toString('utf8')).get('CallSid') ?? '';
}
