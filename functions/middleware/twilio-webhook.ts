/**
 * The middy stack every Twilio webhook runs in, outermost first:
 *   metrics flush → step log → spoken errors (any failure → 200 with an apology in TwiML; 4xx only for requests that are not Twilio's)
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
import { flushMetrics } from './flush-metrics.js';
import { formBody, headerOf } from './form-body.js';
import { HttpError } from './http-error.js';
import { twilioSignature, type SignatureOptions } from './twilio-signature.js';
import type { HttpResult, TwilioEvent, TwilioRequest } from './types.js';

export type TwilioHandler = (req: TwilioRequest) => Promise<VoiceAnswer | { twiml: string } | { json: unknown }>;

export interface WebhookOptions extends SignatureOptions {
  /** Reports unexpected errors (a logger); the caller hears an apology either way. */
  onError?: (error: unknown, event: TwilioEvent) => void;
  /** One record per webhook step, refused ones included (structured logs on AWS). */
  onStep?: (step: WebhookStep) => void;
  /** Writes the metrics the step recorded; called after every invocation, whatever its outcome. */
  flushMetrics?: () => void;
}

/** What one webhook step did: the call, the step (path), its outcome (status and the verb it ended on) and its time. */
export interface WebhookStep {
  callSid: string;
  step: string;
  status: number;
  outcome: string;
  ms: number;
}

/** The verb a TwiML answer leaves the caller in (the last of the flow-deciding ones), or `say`. */
export function stepOutcome(status: number, body: string): string {
  if (status !== 200) return `${status}`;
  const verbs = [...body.matchAll(/<(Gather|Enqueue|Dial|Hangup|Redirect|Reject|Leave)\b/g)].map((m) => m[1]!.toLowerCase());
  return verbs.at(-1) ?? (body.includes('<Say') ? 'say' : 'ok');
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
    .use(flushMetrics(opts.flushMetrics ?? (() => undefined)))
    .use(stepLog(opts.onStep))
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

/** Outermost: times the whole step, after the error handler has turned any failure into its answer. */
function stepLog(onStep: WebhookOptions['onStep']): middy.MiddlewareObj<TwilioEvent, HttpResult, Error, Context> {
  const started = new WeakMap<object, number>();
  const report = (request: middy.Request<TwilioEvent, HttpResult, Error, Context>) => {
    if (!onStep) return;
    const response = request.response;
    const status = response?.statusCode ?? 500;
    onStep({
      callSid: request.event.twilio?.params.CallSid || '-',
      step: request.event.rawPath ?? '',
      status,
      outcome: stepOutcome(status, String(response?.body ?? '')),
      ms: Math.round(performance.now() - (started.get(request.event) ?? performance.now())),
    });
  };
  return {
    before: async (request) => void started.set(request.event, performance.now()),
    after: async (request) => report(request),
    onError: async (request) => {
      if (request.response) report(request);
    },
  };
}
