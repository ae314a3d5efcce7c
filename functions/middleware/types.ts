import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** What the Twilio middleware stack hands a webhook handler: verified parameters, no HTTP details. */
export interface TwilioRequest {
  /** Form parameters Twilio posted (CallSid, From, To, Digits, ...), signature-checked. */
  params: Record<string, string>;
  /** Query string of the URL Twilio requested (our own step state, covered by the signature). */
  query: Record<string, string>;
  /** Path parameters from the routing table (`{step}`). */
  pathParams: Record<string, string>;
  /** Public base URL the request was signed against; later step URLs are built on it. */
  baseUrl: string;
  /** Twilio's retry token (`I-Twilio-Idempotency-Token`), when present. */
  idempotencyToken?: string;
}

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** The HTTP event as the middlewares leave it: parsed form parameters and the verified base URL. */
export type TwilioEvent = HttpEvent & { twilio?: { params: Record<string, string>; baseUrl?: string } };
