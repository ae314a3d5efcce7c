/**
 * The middy stack every Twilio webhook runs in, outermost first:
 *   spoken errors (any failure → 200 with an apology in TwiML; 4xx only for requests that are not Twilio's)
 *   → form body → Twilio signature → handler → TwiML response.
 * Handlers receive a `TwilioRequest` and return a `VoiceAnswer` (rendered here) or ready TwiML, or JSON
 * for the few signed Twilio callbacks that are not TwiML (TaskRouter's assignment callback wants an
 * instruction object, so it must not go through the TwiML renderer).
 * An early-timeout response answers before Lambda would be killed, so a caller never hears dead air
 * or Twilio's "an application error has occurred".
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { VoiceAnswer } from '../domain/decisions.js';
import { apologyTwiml, renderTwiml } from '../adapters/twilio/twiml.js';
import { formBody, headerOf } from './form-body.js';
import { HttpError } from './http-error.js';
import { twilioSignature, type SignatureOptions } from './twilio-signature.js';
import type { HttpResult, TwilioEvent, TwilioRequest } from './types.js';

export type TwilioHandler = (req: TwilioRequest) => Promise<VoiceAnswer | { twiml: string } | { json: unknown }>;

export interface WebhookOptions extends SignatureOptions {
  /** Reports unexpected errors (a logger); the caller hears an apology either way. */
  onError?: (error: unknown, event: TwilioEvent) => void;
}

const XML = { 'content-type': 'text/xml; charset=utf-8' };

export function twiml(body: string): HttpResult {
  return { statusCode: 200, headers: XML, body };
}

export function twilioWebhook(handler: TwilioHandler, opts: WebhookOptions) {
  return middy<TwilioEvent, HttpResult, Error, Context>({
    timeoutEarlyInMillis: 1500,
    timeoutEarlyResponse: () => twiml(apologyTwiml()),
  })
    .use({
      onError: async (request) => {
        const error = request.error;
        if (error instanceof HttpError) {
          request.response = { statusCode: error.statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: error.message };
          return;
        }
        opts.onError?.(error, request.event);
        request.response = twiml(apologyTwiml());
      },
    })
    .use(formBody())
    .use(twilioSignature(opts))
    .handler(async (event: TwilioEvent): Promise<HttpResult> => {
      const req: TwilioRequest = {
        params: event.twilio?.params ?? {},
        query: Object.fromEntries(new URLSearchParams(event.rawQueryString ?? '')),
        pathParams: (event.pathParameters as Record<string, string> | undefined) ?? {},
        baseUrl: event.twilio?.baseUrl ?? '',
        idempotencyToken: headerOf(event, 'i-twilio-idempotency-token'),
      };
      const out = await handler(req);
      if ('json' in out) return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(out.json) };
      return twiml('twiml' in out ? out.twiml : renderTwiml(out, req.baseUrl));
    });
}
