/**
 * Refuses any request without a valid `X-Twilio-Signature` (403, nothing else runs). Validation is the
 * twilio library's own `validateRequest`, over the public base URL + path + query exactly as Twilio
 * signs it; the base URL is configured (local mode, custom domains) or rebuilt from the request's
 * domain name on API Gateway, so functions need no circular reference to their own API.
 *
 * Two signatures are accepted: the classic HMAC-SHA1 with the account's auth token, and the signatures
 * of Twilio's webhook rules, which name their algorithm (HMAC-SHA256) and key in the
 * `X-Twilio-Webhooks-Signature-Settings` header. Those are checked with the rule's SharedKey secret when
 * one is configured, and with the auth token otherwise. Every refusal is counted (a metric with an alarm).
 */
import type { MiddlewareObj } from '@middy/core';
import { getSignatureAlgorithm, HMAC_SHA1, HMAC_SHA256, SIGNATURE_SETTINGS_HEADER, validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { HttpError } from './http-error.js';
import { headerOf } from './form-body.js';
import { reportSignatureRejected } from './rejection-metric.js';
import type { HttpEvent, TwilioEvent } from './types.js';

export interface SignatureOptions {
  /** Resolves the auth token (cached secret). */
  authToken: () => Promise<string>;
  /** Resolves the SharedKey secret of Twilio webhook rules (HMAC-SHA256 signatures), when one is configured. */
  sharedKeySecret?: () => Promise<string | undefined>;
  /** Configured public base URL; absent on AWS without a custom domain. */
  publicBaseUrl?: string;
  /** Counts a refused request; by default an embedded-metric line on Lambda (rejection-metric.ts). */
  onRejected?: (reason: string) => void;
}

const SUPPORTED_ALGORITHMS = new Set([HMAC_SHA1, HMAC_SHA256]);

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
  const rejected = opts.onRejected ?? reportSignatureRejected;
  const refuse = (reason: string): never => {
    rejected(reason);
    throw new HttpError(403, reason);
  };
  return {
    before: async (request) => {
      const event = request.event;
      const signature = headerOf(event, 'x-twilio-signature');
      if (!signature) refuse('missing X-Twilio-Signature');
      const settings = headerOf(event, SIGNATURE_SETTINGS_HEADER);
      const algorithm = getSignatureAlgorithm(settings).toUpperCase();
      if (!SUPPORTED_ALGORITHMS.has(algorithm)) refuse(`unsupported signature algorithm in ${SIGNATURE_SETTINGS_HEADER}`);
      const baseUrl = publicBaseUrlOf(event, opts.publicBaseUrl);
      const params = event.twilio?.params ?? {};
      const url = signedUrlOf(event, baseUrl);
      const secrets = settings && opts.sharedKeySecret ? [await opts.sharedKeySecret(), await opts.authToken()] : [await opts.authToken()];
      if (!secrets.some((secret) => !!secret && validateRequest(secret, signature!, url, params, algorithm))) {
        refuse('invalid X-Twilio-Signature');
      }
      event.twilio = { params, baseUrl };
    },
  };
}
