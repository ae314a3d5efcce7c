/**
 * The ticket API (contract §5) on the embedded DynamoDB, with a ticket opened by a real call: bearer
 * token, filters validated and named, 404 and 400 by number, and every field the contract lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { TICKETS_API_HANDLERS, ticketsApi } from '../../functions/app/tickets-api.js';
import { ROUTES } from '../../functions/routes.js';
import { DynamoTicketStore } from '../../functions/adapters/dynamodb/ticket-store.js';
import { DynamoAuditLog } from '../../functions/adapters/dynamodb/audit-log.js';
import type { Ticket } from '../../functions/domain/tickets.js';
import { startHarness, type Harness } from '../support/voice-harness.js';
import { LINES, PHONES } from '../support/line-data.js';

const TOKEN = 'api-token-0123456789abcdef';
let h: Harness;
let api: ReturnType<typeof ticketsApi>;
let p1: Ticket;
let p3: Ticket;

beforeAll(async () => {
  h = await startHarness({ dynamodb: true });
  api = ticketsApi({
    tickets: new DynamoTicketStore(h.doc!, h.tables!.tickets),
    audit: new DynamoAuditLog(h.doc!, h.tables!.tickets),
    apiToken: async () => TOKEN,
  });
  // Two tickets opened by real calls: a P1 taken by an agent, a billing P3 still waiting.
  const first = h.call(PHONES.ada, LINES.us);
  await first.start();
  await first.press('2');
  await first.press('1');
  const second = h.call(PHONES.ada, LINES.us);
  await second.start();
  await second.press('3');
  await second.press('2'); // contract §2.8 v2: offered the open P1 first, the caller opens a new ticket
  await second.press('3');
  const [a, b] = [(await h.deps.calls.get(first.callSid))!.ticketNumber!, (await h.deps.calls.get(second.callSid))!.ticketNumber!];
  p1 = (await h.deps.tickets.transition(a, 'in-progress', { agent: '1001', answeredAt: '2026-05-13T15:10:00.000Z' }))!;
  p3 = (await h.deps.tickets.get(b))!;
});
afterAll(async () => {
  await h.stop();
});

function event(
  path: string,
  o: { query?: Record<string, string>; headers?: Record<string, string>; method?: string; token?: string | null } = {},
): APIGatewayProxyEventV2 {
  const headers = { ...(o.token === null ? {} : { authorization: `Bearer ${o.token ?? TOKEN}` }), ...o.headers };
  return {
    version: '2.0',
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(o.query ?? {}).toString(),
    headers,
    queryStringParameters: o.query,
    requestContext: { http: { method: o.method ?? 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

async function call(path: string, o: Parameters<typeof event>[1] = {}): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  const res = (await api(event(path, o))) as APIGatewayProxyStructuredResultV2;
  expect(res.headers?.['content-type']).toBe('application/json; charset=utf-8');
  return { status: res.statusCode!, body: JSON.parse(String(res.body)), headers: (res.headers ?? {}) as Record<string, unknown> };
}

describe('bearer token', () => {
  it('is required: none, a wrong one, another scheme or a prefix of the right one get 401', async () => {
    const variants: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong-token' },
      { authorization: `Basic ${TOKEN}` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: TOKEN },
    ];
    for (const headers of variants) {
      const res = await call('/api/tickets', { token: null, headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.body).toEqual({ error: 'missing or wrong bearer token' });
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    expect((await call(`/api/tickets/${p1.number}`, { token: 'nope' })).status).toBe(401);
  });

  it('the right one passes, whatever the header name’s case', async () => {
    expect((await call('/api/tickets')).status).toBe(200);
    expect((await call('/api/tickets', { token: null, headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await call('/api/tickets', { token: null, headers: { AUTHORIZATION: `bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('without a configured token (IAM guards the route on AWS) no bearer is needed', async () => {
    const iam = ticketsApi({
      tickets: new DynamoTicketStore(h.doc!, h.tables!.tickets),
      audit: new DynamoAuditLog(h.doc!, h.tables!.tickets),
      apiToken: async () => undefined,
    });
    const res = (await iam(event('/api/tickets', { token: null }))) as APIGatewayProxyStructuredResultV2;
    expect(res.statusCode).toBe(200);
  });
});

describe('GET /api/tickets', () => {
  it('lists tickets with a count, newest first, never the number counter', async () => {
    const res = await call('/api/tickets');
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(2);
    expect(res.body.tickets.map((t: Ticket) => t.number).sort()).toEqual([p1.number, p3.number].sort());
  });

  it('filters by status, priority and organization', async () => {
    expect((await call('/api/tickets', { query: { status: 'waiting' } })).body.tickets.map((t: Ticket) => t.number)).toEqual([p3.number]);
    expect((await call('/api/tickets', { query: { status: 'in-progress' } })).body.tickets.map((t: Ticket) => t.number)).toEqual([p1.number]);
    expect((await call('/api/tickets', { query: { priority: 'P1' } })).body.tickets.map((t: Ticket) => t.number)).toEqual([p1.number]);
    expect((await call('/api/tickets', { query: { org: 'contoso', priority: 'P3' } })).body.tickets.map((t: Ticket) => t.number)).toEqual([p3.number]);
    expect((await call('/api/tickets', { query: { org: 'northwind' } })).body).toEqual({ tickets: [], count: 0 });
    expect((await call('/api/tickets', { query: { status: 'closed' } })).body).toEqual({ tickets: [], count: 0 });
    expect((await call('/api/tickets', { query: { limit: '1' } })).body.count).toBe(1);
  });

  it('a bad filter is a 400 that names it; several are all named', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ status: 'open' }, /^status must be one of waiting, callback, in-progress, abandoned, closed$/],
      [{ status: '' }, /^status /],
      [{ priority: 'P 1' }, /^priority /],
      [{ priority: 'x'.repeat(17) }, /^priority /],
      [{ org: 'a/b' }, /^org /],
      [{ org: 'x'.repeat(65) }, /^org /],
      [{ limit: '0' }, /^limit /],
      [{ limit: '1001' }, /^limit /],
      [{ limit: 'ten' }, /^limit /],
      [{ limit: '1.5' }, /^limit /],
    ];
    for (const [query, problem] of cases) {
      const res = await call('/api/tickets', { query });
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error).toBe('bad filter');
      expect(res.body.problems).toHaveLength(1);
      expect(res.body.problems[0]).toMatch(problem);
    }
    const all = await call('/api/tickets', { query: { status: 'nope', priority: '!', org: '?', limit: '-1' } });
    expect(all.status).toBe(400);
    expect(all.body.problems.map((p: string) => p.split(' ')[0])).toEqual(['status', 'priority', 'org', 'limit']);
  });

  it('only GET is served', async () => {
    const res = await call('/api/tickets', { method: 'POST' });
    expect(res.status).toBe(405);
  });
});

describe('GET /api/tickets/{number}', () => {
  it('returns the ticket with every field of contract §5, agent and answer time once taken', async () => {
    const res = await call(`/api/tickets/${p1.number}`);
    expect(res.status).toBe(200);
    const t = res.body;
    for (const field of [
      'number',
      'org',
      'service',
      'priority',
      'status',
      'line',
      'language',
      'verifiedBy',
      'createdAt',
      'firstResponseDue',
      'restoreDue',
      'callSid',
      'agent',
      'answeredAt',
    ]) {
      expect(t, field).toHaveProperty(field);
    }
    expect(t).toMatchObject({
      number: p1.number,
      org: 'contoso',
      service: 'technical',
      priority: 'P1',
      status: 'in-progress',
      line: LINES.us,
      language: 'en-US',
      verifiedBy: 'caller-id',
      createdAt: '2026-05-13T15:00:00.000Z',
      firstResponseDue: '2026-05-13T16:00:00.000Z',
      restoreDue: '2026-05-13T19:00:00.000Z',
      agent: '1001',
      answeredAt: '2026-05-13T15:10:00.000Z',
    });
    expect(t.callSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(t).toEqual(JSON.parse(JSON.stringify(p1)));
    // No storage keys leak.
    for (const key of ['pk', 'sk', 'orgPk', 'orgSk', 'statusPk', 'statusSk', 'queuePk', 'queueSk']) expect(t).not.toHaveProperty(key);
  });

  it('a waiting ticket of a scheme level without restore time has no restoreDue and no agent yet', async () => {
    const t = (await call(`/api/tickets/${p3.number}`)).body;
    expect(t).toMatchObject({ status: 'waiting', priority: 'P3', service: 'billing' });
    expect(t).not.toHaveProperty('restoreDue');
    expect(t).not.toHaveProperty('agent');
    expect(t).not.toHaveProperty('answeredAt');
  });

  it('an unknown number is 404; a number that is not digits is 400', async () => {
    expect(await call('/api/tickets/1999999')).toMatchObject({ status: 404, body: { error: 'no ticket 1999999' } });
    for (const bad of ['abc', '12a', '-1', '1.5', '%20', '1'.repeat(13)]) {
      const res = await call(`/api/tickets/${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body).toEqual({ error: 'a ticket number is digits only' });
    }
  });

  it('an unknown route is 404', async () => {
    expect((await call('/api/nothing')).status).toBe(404);
    expect((await call(`/api/tickets/${p1.number}/extra`)).status).toBe(404);
    // A route of another function (the Twilio webhooks) is not served here.
    expect((await call('/twilio/voice', { method: 'POST' })).status).toBe(404);
  });

  it('dispatches on the routing table: every route of this function has a handler, and no handler lacks a route', () => {
    const mine = ROUTES.filter((r) => r.fn === 'tickets-api').map((r) => `${r.method} ${r.path}`);
    expect(Object.keys(TICKETS_API_HANDLERS).sort()).toEqual(mine.sort());
  });
});

describe('verification audit', () => {
  it("lists an organization's verification outcomes; a bad id is 400", async () => {
    const res = await call('/api/orgs/contoso/verifications');
    expect(res.status).toBe(200);
    expect(res.body.org).toBe('contoso');
    expect(res.body.verifications.map((v: { method: string; result: string }) => `${v.method}:${v.result}`)).toEqual([
      'caller-id:verified',
      'caller-id:verified',
    ]);
    expect((await call('/api/orgs/a%2Fb/verifications')).status).toBe(400);
  });
});

describe('store failures', () => {
  it('are a 503 with Retry-After, not a crash', async () => {
    const broken = ticketsApi({
      tickets: new DynamoTicketStore(h.doc!, 'no-such-table'),
      audit: new DynamoAuditLog(h.doc!, 'no-such-table'),
      apiToken: async () => TOKEN,
    });
    const res = (await broken(event('/api/tickets'))) as APIGatewayProxyStructuredResultV2;
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['retry-after']).toBe('5');
    expect(JSON.parse(String(res.body))).toEqual({ error: 'the ticket store is unavailable, try again' });
  });
});
