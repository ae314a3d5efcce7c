/**
 * Hostile input against every route of the routing table and unknown paths, through the local HTTP server
 * (`startLocal`, in this process): random and malformed parameters, huge values, unicode, missing fields,
 * wrong methods and content types, broken percent-encoding, valid and invalid signatures (fast-check).
 * Goals: no 5xx, no unhandled rejection, every 200 from a /twilio route a well-formed TwiML document,
 * and nothing changes (tables, outbox, spool) without a valid signature.
 */
import { request } from 'node:http';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type RunningServer } from '../../local/server.js';
import { ROUTES } from '../../functions/routes.js';
import { parseTwiml } from '../../local/twiml-parse.js';
import { benchData, AGENTS_LINE, LINE } from '../support/fixtures.js';
import { freePort } from '../../bench/lib/free-port.js';

const TOKEN = 'fuzz-auth-token';
const API = 'fuzz-api-token';
const bd = benchData({ registered: 3, coded: 3, agents: 2 });
let server: RunningServer;
let dir: string;
let doc: DynamoDBDocumentClient;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  dir = mkdtempSync(join(tmpdir(), 'fuzz-'));
  const dataFile = join(dir, 'data.json');
  writeFileSync(dataFile, JSON.stringify(bd.data));
  server = await startLocal({ port: await freePort(), dataFile, authToken: TOKEN, apiToken: API, outbox: join(dir, 'outbox.jsonl'), spoolReplayMs: 0 });
  doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: server.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
});
afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  doc?.destroy();
  await server?.stop();
});

/** Everything a request could change: every item of every table, the outbox and the spool, as one digest. */
async function stateDigest(): Promise<{ items: number; digest: string }> {
  const hash = createHash('sha256');
  let items = 0;
  for (const table of Object.values(server.tables)) {
    let start: Record<string, unknown> | undefined;
    const rows: string[] = [];
    do {
      const page = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) rows.push(JSON.stringify(item, Object.keys(item).sort()));
      start = page.LastEvaluatedKey;
    } while (start);
    items += rows.length;
    hash.update(rows.sort().join('\n'));
  }
  for (const f of [join(dir, 'outbox.jsonl'), server.spoolFile]) hash.update(existsSync(f) ? readFileSync(f) : '');
  return { items, digest: hash.digest('hex') };
}

interface Req {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

function send(r: Req): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${r.path}`, { method: r.method, headers: r.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

// ------------------------------------------------------------------ arbitraries

const hex32 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 });
const callSid = fc.oneof(
  hex32.map((h) => `CA${h}`),
  fc.string(),
  fc.constant(''),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
);
const phone = fc.oneof(
  fc.constantFrom(LINE, AGENTS_LINE, bd.registered[0]!.phone, bd.coded[0]!.phone, '+18005550123', 'anonymous', 'Restricted', '', '+', '00448001234567'),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.stringMatching(/^\+\d{1,20}$/),
);
const digits = fc.oneof(
  fc.stringMatching(/^[0-9*#]{0,30}$/),
  fc.constantFrom(bd.coded[0]!.account, '1', '2', '3', '9', '123456', ''),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.nat(20_000).map((n) => '9'.repeat(n)),
);
const huge = fc.nat(80_000).map((n) => 'x'.repeat(n));
const anyValue = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 5, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: huge },
);

const params = fc
  .record(
    {
      CallSid: callSid,
      AccountSid: fc.oneof(
        hex32.map((h) => `AC${h}`),
        anyValue,
      ),
      From: phone,
      To: phone,
      Digits: digits,
      CallStatus: fc.oneof(fc.constantFrom('ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'), anyValue),
      QueueResult: fc.oneof(fc.constantFrom('hangup', 'leave', 'bridged', 'error', 'system-error'), anyValue),
      StirVerstat: fc.oneof(fc.constantFrom('TN-Validation-Passed-A', 'TN-Validation-Passed-B', 'No-TN-Validation'), anyValue),
      QueuePosition: fc.oneof(fc.integer().map(String), anyValue),
      AvgQueueTime: fc.oneof(fc.integer().map(String), anyValue),
      DialBridged: fc.oneof(fc.constantFrom('true', 'false'), anyValue),
      DialCallStatus: anyValue,
      TaskAttributes: fc.oneof(fc.json(), anyValue),
      ReservationSid: anyValue,
    },
    { requiredKeys: [] },
  )
  .chain((p) => fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 20 }), anyValue, { maxKeys: 4 }).map((extra) => ({ ...extra, ...p })));

const STEPS = [
  'language',
  'menu',
  'account',
  'channel',
  'code',
  'priority',
  'callback',
  'wait',
  'queue-result',
  'start',
  'id',
  'pin',
  'next',
  'done',
  'bridge',
  'whisper',
  'assignment',
  'closed-choice',
];
const brokenPercent = fc.constantFrom('%', '%zz', '%E0%A4', '%00', '%2F', '..', '.', '%u0041', 'ü', '%F0%9F%98%80');
const segment = fc.oneof(fc.constantFrom(...STEPS), fc.string({ maxLength: 30 }).map(encodeURIComponent), brokenPercent, fc.stringMatching(/^\d{1,15}$/));
const route = fc.constantFrom(...ROUTES);
const routePath = route.chain((r) =>
  (r.path.includes('{') ? fc.array(segment, { minLength: 1, maxLength: 1 }).map(([s]) => r.path.replace(/\{[^}]+\}/, s!)) : fc.constant(r.path)).map(
    (p) => [p, r.method] as const,
  ),
);
const unknownPath = fc.oneof(
  fc.constantFrom(
    '//%',
    '/%',
    '/twilio/call/%',
    '/',
    '/twilio',
    '/twilio/',
    '/twilio/call',
    '/twilio/call/',
    '/twilio/call/menu/extra',
    '/api',
    '/api/tickets/',
    '//twilio/voice',
    '/twilio/voice/',
    '/TWILIO/VOICE',
    '/.env',
    '/api/tickets/1/2',
  ),
  fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => `/${s.join('/')}`),
);
const query = fc.dictionary(
  fc.constantFrom('s', 'r', 't', 'lang', 'a', 'status', 'priority', 'org', 'limit', 'x'),
  fc.oneof(
    fc.integer().map(String),
    fc.string({ maxLength: 30 }),
    fc.nat(5_000).map((n) => 'q'.repeat(n)),
  ),
  { maxKeys: 4 },
);
/** A path and query, and the method: mostly the route's own, sometimes any other. */
const target = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: routePath }, { weight: 1, arbitrary: unknownPath.map((p) => [p, 'POST'] as const) }),
    query,
    fc.option(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'), { freq: 4 }),
  )
  .map(([[p, routeMethod], q, other]) => {
    const qs = new URLSearchParams(q).toString();
    return { p: qs ? `${p}?${qs}` : p, m: other ?? routeMethod };
  });
const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/x-www-form-urlencoded') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'application/x-www-form-urlencoded; charset=utf-8',
      'application/json',
      'text/plain',
      'multipart/form-data; boundary=x',
      'text/xml',
      '',
      'application/x-www-form-urlencoded\u0000',
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
type Body = { kind: 'form' } | { kind: 'raw'; bytes: Buffer } | { kind: 'none' };
const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: 'form' as const }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => ({ kind: 'raw' as const, bytes: Buffer.from(b) })) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.json(), fc.constantFrom('a=%', '=&=&&', 'CallSid', '%ZZ=1', 'a=b;c=d'))
      .map((s) => ({ kind: 'raw' as const, bytes: Buffer.from(s) })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
);
type Sig = 'valid' | 'wrong-token' | 'other-url' | 'garbage' | 'missing' | 'other-params';

/** The URL the server checks a signature against: its public base URL and the path as it parses it. */
function signedUrl(p: string): string {
  try {
    const u = new URL(`http://127.0.0.1${p}`);
    return server.url + u.pathname + u.search;
  } catch {
    return server.url + p; // a target the server refuses (400) before any signature check
  }
}

function build(m: string, p: string, ps: Record<string, string>, ct: string | undefined, b: Body, sig: Sig, garbage: string): Req {
  const form = new URLSearchParams(ps).toString();
  const sent = m === 'GET' || m === 'HEAD' ? undefined : b.kind === 'form' ? Buffer.from(form) : b.kind === 'raw' ? b.bytes : undefined;
  const headers: Record<string, string> = {};
  if (ct !== undefined) headers['content-type'] = ct.replace(/\u0000/g, '');
  if (sent) headers['content-length'] = String(sent.length);
  const signedParams = b.kind === 'form' ? Object.fromEntries(new URLSearchParams(form)) : {};
  const value =
    sig === 'valid'
      ? getExpectedTwilioSignature(TOKEN, signedUrl(p), signedParams)
      : sig === 'wrong-token'
        ? getExpectedTwilioSignature(`${TOKEN}x`, signedUrl(p), signedParams)
        : sig === 'other-url'
          ? getExpectedTwilioSignature(TOKEN, `${signedUrl(p)}&x=1`, signedParams)
          : sig === 'other-params'
            ? getExpectedTwilioSignature(TOKEN, signedUrl(p), { ...signedParams, Digits: `${signedParams.Digits ?? ''}1` })
            : sig === 'garbage'
              ? garbage
              : undefined;
  if (value !== undefined) headers['x-twilio-signature'] = value;
  if (p.startsWith('/api')) headers.authorization = sig === 'valid' ? `Bearer ${API}` : `Bearer ${garbage}`;
  return { method: m, path: p, headers, body: sent };
}

function checkResponse(r: Req, res: { status: number; type: string; body: string }): void {
  expect(res.status, `${r.method} ${r.path.slice(0, 120)} → ${res.status} ${res.body.slice(0, 200)}`).toBeLessThan(500);
  if (res.status === 200 && r.path.split('?')[0] === '/twilio/agent/assignment') {
    // TaskRouter's assignment callback is answered with a JSON instruction, not TwiML.
    expect(res.type).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toHaveProperty('instruction');
  } else if (res.status === 200 && r.path.startsWith('/twilio') && r.method !== 'HEAD') {
    expect(res.type).toMatch(/^text\/xml/);
    const root = parseTwiml(res.body);
    expect(root.name).toBe('Response');
  }
}

const garbageSig = fc.oneof(
  fc.base64String({ maxLength: 40 }),
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
);

/** Hundreds of requests each: a loaded 2-core machine needs more than the default 30 s; the checks are unchanged. */
const FUZZ_TIMEOUT_MS = 180_000;

describe('hostile input on every route', () => {
  it(
    'without a valid signature (or token): never a 5xx, never a 200 from a /twilio route, and nothing changes',
    async () => {
      const before = await stateDigest();
      await fc.assert(
        fc.asyncProperty(
          target,
          params,
          contentType,
          body,
          fc.constantFrom<Sig>('wrong-token', 'other-url', 'garbage', 'missing', 'other-params'),
          garbageSig,
          async ({ m, p }, ps, ct, b, sig, garbage) => {
            const r = build(m, p, ps, ct, b, sig, garbage);
            const res = await send(r);
            checkResponse(r, res);
            if (p.startsWith('/twilio')) expect(res.status).not.toBe(200);
            // Contract v2 §5: the `public` routes of the table (GET /api/openapi.json, GET /health) answer without a token.
            const isPublic = m === 'GET' && ROUTES.some((rt) => rt.auth === 'public' && p.split('?')[0] === rt.path);
            if (p.startsWith('/api') && !isPublic) expect(res.status).not.toBe(200);
          },
        ),
        { numRuns: 300 },
      );
      expect(await stateDigest()).toEqual(before);
      expect(rejections).toEqual([]);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'with valid signatures: random, malformed, huge and unicode parameters never cause a 5xx, and every 200 is TwiML',
    async () => {
      await fc.assert(
        fc.asyncProperty(target, params, contentType, body, garbageSig, async ({ m, p }, ps, ct, b, garbage) => {
          const r = build(m, p, ps, ct, b, 'valid', garbage);
          checkResponse(r, await send(r));
        }),
        { numRuns: 400 },
      );
      expect(rejections).toEqual([]);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'calls that follow the flow with random keys at every prompt: every answer is TwiML, never a 5xx',
    async () => {
      const keys = fc.oneof(
        fc.stringMatching(/^[0-9*#]{0,12}$/),
        fc.constantFrom('2', '1', '3', `${bd.coded[0]!.account}#`, '123456#'),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(bd.registered[1]!.phone, bd.coded[1]!.phone, '+14155550100', 'anonymous'),
          fc.constantFrom(LINE, AGENTS_LINE, '+18005550123'),
          fc.array(keys, { minLength: 1, maxLength: 8 }),
          hex32,
          async (from, to, presses, sid) => {
            const base = { CallSid: `CA${sid}`, AccountSid: `AC${'a'.repeat(32)}`, From: from, To: to, CallStatus: 'in-progress' };
            let url = '/twilio/voice';
            let extra: Record<string, string> = {};
            for (let i = 0; i <= presses.length; i++) {
              const ps = { ...base, ...extra };
              const r = build('POST', url, ps, 'application/x-www-form-urlencoded', { kind: 'form' }, 'valid', '');
              const res = await send(r);
              checkResponse(r, res);
              expect(res.status).toBe(200);
              const next = /<(?:Gather|Redirect)[^>]*?(?:action="([^"]+)")?[^>]*>(?:([^<]+)<\/Redirect>)?/.exec(res.body);
              const target = next?.[1] ?? next?.[2];
              if (!target) break;
              url = new URL(target.replace(/&amp;/g, '&')).pathname + new URL(target.replace(/&amp;/g, '&')).search;
              extra = { Digits: presses[i] ?? '' };
            }
          },
        ),
        { numRuns: 60 },
      );
      expect(rejections).toEqual([]);
    },
    FUZZ_TIMEOUT_MS,
  );
});
