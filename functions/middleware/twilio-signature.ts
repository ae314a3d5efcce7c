/**
 * Refuses any request without a valid `X-Twilio-Signature` (403, nothing else runs). Validation is the
 * twilio library's own `validateRequest`, over the public base URL + path + query exactly as Twilio
 * signs it; the base URL is configured (local mode, custom domains) or rebuilt from the request's
 * domain name on API Gateway, so functions need no circular reference to their own API.
 */
import type { MiddlewareObj } from '@middy/core';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { HttpError } from './http-error.js';
import { headerOf } from './form-body.js';
import type { HttpEvent, TwilioEvent } from './types.js';

export interface SignatureOptions {
  /** Resolves the auth token (cached secret). */
  authToken: () => Promise<string>;
  /** Configured public base URL; absent on AWS without a custom domain. */
  publicBaseUrl?: string;
}

export function publicBaseUrlOf(event: HttpEvent, configured?: string): string {
  if (configured) return configured;
  const ctx = event.requestContext;
  const stage = ctx?.stage && ctx.stage !== '$default' ? `/${ctx.stage}` : '';
  return `https://${ctx?.domainName ?? headerOf(event, 'host') ?? 'localhost'}${stage}`;
}

export function signedUrlOf(event: HttpEvent, baseUrl: string): string {
  return baseUrl + event.rawPath + (event.rawQueryString ? `?${event.rawQueryString}` : '');
}

export function twilioSignature(opts: SignatureOptions): MiddlewareObj<TwilioEvent> {
  return {
    before: async (request) => {
      const event = request.event;
      const signature = headerOf(event, 'x-twilio-signature');
      if (!signature) throw new HttpError(403, 'missing X-Twilio-Signature');
      const baseUrl = publicBaseUrlOf(event, opts.publicBaseUrl);
      const params = event.twilio?.params ?? {};
      const token = await opts.authToken();
      if (!token || !validateRequest(token, signature, signedUrlOf(event, baseUrl), params)) {
        throw new HttpError(403, 'invalid X-Twilio-Signature');
      }
      event.twilio = { params, baseUrl };
    },
  };
}
