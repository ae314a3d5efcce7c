/**
 * The webhooks in-process, as Lambda runs them: the real middy stack (`twilioWebhook`) around the real
 * flows, with dependencies from `buildDeps(parseConfig(env), overrides)` on an embedded DynamoDB.
 * Requests are API Gateway v2 events signed with the twilio library, as Twilio signs them. The bench
 * measures steps through this; the fault tests drive calls through it with faults injected.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { voiceWebhook } from '../../functions/app/voice-webhook.js';
import { statusWebhook } from '../../functions/app/status-webhook.js';
import { twilioWebhook, type TwilioHandler } from '../../functions/middleware/twilio-webhook.js';
import { buildDeps, type WiringOverrides } from '../../functions/wiring.js';
import { parseConfig } from '../../functions/config.js';
import { loadDirectory } from '../../functions/adapters/dynamodb/directory.js';
import { validateSupportData } from '../../functions/data/validate.js';
import type { FlowDeps } from '../../functions/app/deps.js';
import type { SupportData } from '../../functions/domain/model.js';
import type { HttpResult } from '../../functions/middleware/types.js';
import { matchRoute, type FunctionId } from '../../functions/routes.js';
import type { EmbeddedDb } from './embedded-db.js';
import type { Transport } from './caller.js';
import { httpApiEvent } from '../../local/http-api-event.js';

export const AUTH_TOKEN = 'bench-auth-token-0123456789abcdef';
export const BASE_URL = 'https://support.example.com';
export const CODE_KEY = 'bench-code-hash-key';

const context = { getRemainingTimeInMillis: () => 10_000, functionName: 'voice', awsRequestId: 'bench' } as unknown as Context;

export { newCallSid } from '../../test/support/fixtures.js';

/** Twilio's request for `url` (path and query) with `params`, as an API Gateway HTTP API v2 event. */
export function signedEvent(url: string, params: Record<string, string>, o: { token?: string; sign?: boolean; baseUrl?: string } = {}): APIGatewayProxyEventV2 {
  const base = o.baseUrl ?? BASE_URL;
  const u = new URL(url, base);
  const headers: Record<string, string> = { host: u.host, 'content-type': 'application/x-www-form-urlencoded' };
  if (o.sign !== false) headers['x-twilio-signature'] = getExpectedTwilioSignature(o.token ?? AUTH_TOKEN, base + u.pathname + u.search, params);
  return httpApiEvent({
    method: 'POST',
    target: u.pathname + u.search,
    host: u.host,
    headers,
    body: new URLSearchParams(params).toString(),
    sourceIp: '54.172.60.1',
  });
}

export interface InProcessLine {
  deps: FlowDeps;
  /** Sends one signed webhook to the function its route names, in-process. */
  send: Transport;
  /** Functions that answer here (the agents' line only once its webhook exists). */
  functions: Set<FunctionId>;
}

export interface InProcessOptions {
  db: EmbeddedDb;
  data: SupportData;
  /** The client the handlers use (a probe's, with counting or fault middleware); default the db's. */
  doc?: DynamoDBDocumentClient;
  overrides?: WiringOverrides;
  /** Load the data file (skip when another line on the same tables already did). */
  load?: boolean;
}

export async function inProcessLine(o: InProcessOptions): Promise<InProcessLine> {
  if (o.load !== false) {
    const checked = validateSupportData(o.data);
    if (!checked.ok) throw new Error(`bench data is invalid: ${JSON.stringify(checked.problems.slice(0, 5))}`);
    await loadDirectory(o.db.doc, o.db.tables.directory, checked.data);
  }
  const env = {
    TABLE_DIRECTORY: o.db.tables.directory,
    TABLE_CALLS: o.db.tables.calls,
    TABLE_TICKETS: o.db.tables.tickets,
    DYNAMODB_ENDPOINT: o.db.endpoint,
    AWS_REGION: 'us-east-1',
    PUBLIC_BASE_URL: BASE_URL,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    CODE_HASH_KEY: CODE_KEY,
    SES_FROM: 'Support <support@example.com>',
  };
  const { deps } = buildDeps(parseConfig(env, 'voice'), { doc: o.doc ?? o.db.doc, ...o.overrides });
  const sig = { authToken: async () => AUTH_TOKEN, publicBaseUrl: BASE_URL };
  const handlers: Partial<Record<FunctionId, ReturnType<typeof twilioWebhook>>> = {
    voice: twilioWebhook(voiceWebhook(deps), sig),
    status: twilioWebhook(statusWebhook(deps), sig),
  };
  const agentModule = fileURLToPath(new URL('../../functions/app/agent-webhook.ts', import.meta.url));
  if (existsSync(agentModule)) {
    // The agents' line is another engineer's work in progress; measured when it is there.
    const mod = (await import('../../functions/app/agent-webhook.js').catch(() => undefined)) as { agentWebhook?: (d: FlowDeps) => TwilioHandler } | undefined;
    if (mod?.agentWebhook) handlers.agent = twilioWebhook(mod.agentWebhook(deps), sig);
  }
  return {
    deps,
    functions: new Set(Object.keys(handlers) as FunctionId[]),
    send: async (url, params) => {
      const path = new URL(url, BASE_URL).pathname;
      const match = matchRoute('POST', path);
      const handler = match && match !== 'method-not-allowed' ? handlers[match.route.fn] : undefined;
      if (!handler) return { status: 404, body: `no in-process function for ${path}` };
      const res = (await handler(signedEvent(url, params), context)) as HttpResult;
      return { status: res.statusCode ?? 200, body: String(res.body ?? '') };
    },
  };
}
