/**
 * Lambda entry of `GET /health`, without a token: whether this deployment can serve, for operators,
 * scripts and uptime checks. 200 `{status: 'ok', ...}` with the region, the function's version and the
 * ticket store's last check; 503 `{status: 'unavailable', reason}` when the store does not answer.
 *
 * Wires nothing but the DynamoDB client, so a probe never cold-starts a webhook's dependencies. The route
 * is public, so the store is read at most once per `STORE_CHECK_EVERY_MS` per instance (probes in
 * between get that answer; simultaneous ones share one read): a flood of probes costs DynamoDB nothing
 * more. The read is bounded by the SDK call budget (sdk-client-options.ts, 1.4 s). A failure is named by
 * its error class only: a DynamoDB message can carry the account id and role, which a public route must not show.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { parseConfig } from '../config.js';
import { dynamoClient } from '../adapters/dynamodb/client.js';
import { lazyHandler, type Env } from './bootstrap.js';

/** How long one read of the store answers for. */
export const STORE_CHECK_EVERY_MS = 5_000;
/** The item read: none is ever written under this key, so the read costs half a read unit and finds nothing. */
const PROBE_KEY = { pk: 'HEALTH', sk: 'PROBE' };

export interface HealthOptions {
  /** Fields the local server adds: mode, data file, data load, database, uptime. */
  details?: () => Record<string, unknown>;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
}

interface StoreCheck {
  ok: boolean;
  /** The error class when the store did not answer. */
  error?: string;
  checkedAt: number;
  ms: number;
}

/** The entry for an explicit environment; the local server passes its own, with its details. */
export function createHandler(env: Env, opts: HealthOptions = {}) {
  const config = parseConfig(env, 'health');
  const now = opts.now ?? Date.now;
  const doc = dynamoClient(config);
  const read = async () => void (await doc.send(new GetCommand({ TableName: config.tables.tickets, Key: PROBE_KEY })));
  const check = cachedCheck(read, now);
  const about = { region: config.region, function: env.AWS_LAMBDA_FUNCTION_NAME, version: env.AWS_LAMBDA_FUNCTION_VERSION };

  return async (): Promise<APIGatewayProxyStructuredResultV2> => {
    const store = await check();
    const body = {
      status: store.ok ? 'ok' : 'unavailable',
      ...(store.ok ? {} : { reason: `the ticket store does not answer (${store.error})` }),
      ...about,
      ...opts.details?.(),
      store: { status: store.ok ? 'ok' : 'unavailable', checkedAt: new Date(store.checkedAt).toISOString(), ms: store.ms },
    };
    return {
      statusCode: store.ok ? 200 : 503,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: JSON.stringify(body),
    };
  };
}

/** `read` at most once per STORE_CHECK_EVERY_MS; callers in between (or during it) get its result. */
function cachedCheck(read: () => Promise<void>, now: () => number): () => Promise<StoreCheck> {
  let last: Promise<StoreCheck> | undefined;
  let startedAt = Number.NEGATIVE_INFINITY;
  return () => {
    if (!last || now() - startedAt >= STORE_CHECK_EVERY_MS) {
      startedAt = now();
      const t0 = performance.now();
      last = read().then(
        () => ({ ok: true, checkedAt: startedAt, ms: Math.round(performance.now() - t0) }),
        (e: unknown) => ({ ok: false, error: errorClass(e), checkedAt: startedAt, ms: Math.round(performance.now() - t0) }),
      );
    }
    return last;
  };
}

/** `ResourceNotFoundException`, `TimeoutError`, `ECONNREFUSED`: what failed, never the message. */
function errorClass(e: unknown): string {
  const { name, code } = (e ?? {}) as { name?: string; code?: unknown };
  if (name && name !== 'Error') return name;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : 'Error';
}

/** Lambda's entry: configured from `process.env` on the first invocation, not at import. */
export const handler = lazyHandler(() => createHandler(process.env));
