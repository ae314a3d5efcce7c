/**
 * Parses Twilio's `application/x-www-form-urlencoded` body (base64 or not, as API Gateway delivers it)
 * into `event.twilio.params`. A body of another type is refused with 415 and a reason: Twilio never
 * sends one, so it is a misconfigured client, and guessing would let unsigned fields through.
 */
import type { MiddlewareObj } from '@middy/core';
import { HttpError } from './http-error.js';
import type { HttpEvent, TwilioEvent } from './types.js';

/** Bodies above this are not Twilio's (its largest webhooks are a few KB); refuse before parsing. */
const MAX_BODY_BYTES = 64 * 1024;

export function formBody(): MiddlewareObj<TwilioEvent> {
  return {
    before: async (request) => {
      const event = request.event;
      const method = event.requestContext?.http?.method ?? 'POST';
      const raw = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
      if (Buffer.byteLength(raw) > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large for a Twilio webhook');
      const contentType = (headerOf(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (method === 'POST' && raw && contentType !== 'application/x-www-form-urlencoded') {
        throw new HttpError(415, 'Twilio webhooks are application/x-www-form-urlencoded');
      }
      const params: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(raw)) params[k] = v;
      event.twilio = { params };
    },
  };
}

/** Case-insensitive header lookup (API Gateway lower-cases, local callers may not). */
export function headerOf(event: HttpEvent, name: string): string | undefined {
  const h = event.headers ?? {};
  const lower = name.toLowerCase();
  for (const k of Object.keys(h)) if (k.toLowerCase() === lower) return h[k];
  return undefined;
}
