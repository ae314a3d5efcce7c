/**
 * The board's API (issue 16, contract v2 §5) on the embedded DynamoDB, with tickets opened by real calls:
 * close (the organization told in its language, once), change of priority (due times recomputed, history
 * kept), the queues, agents, timeline and hourly chart the board reads, and the OpenAPI description.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { boardApi } from '../../functions/app/api/board-api.js';
import { DynamoAgentPresence } from '../../functions/adapters/dynamodb/agent-presence.js';
import { ROUTES } from '../../functions/routes.js';
import type { Ticket } from '../../functions/domain/tickets.js';
import { startHarness, newCallSid, type Harness } from '../support/voice-harness.js';
import { LINES, PHONES, lineData } from '../support/line-data.js';

const TOKEN = 'board-token-0123456789abcdef';
const HOUR = 3_600_000;
let h: Harness;
let api: ReturnType<typeof boardApi>;
let p1: Ticket;
let p3: Ticket;
let polish: Ticket;

beforeAll(async () => {
  const data = lineData();
  data.agents.people.push(
    { id: '1001', name: 'Sam', pin: '4321', languages: ['en-US'], services: ['technical', 'billing'] },
    { id: '1002', name: 'Kim', pin: '8642', languages: ['pl-PL'], services: ['technical'] },
  );
  h = await startHarness({ data, dynamodb: true }); // the agents' presence is read from the calls table itself
  api = boardApi({
    tickets: h.deps.tickets,
    audit: h.deps.audit,
    directory: h.deps.directory,
    agents: new DynamoAgentPresence(h.doc!, h.tables!.calls),
    notifier: h.deps.notifier,
    apiToken: async () => TOKEN,
    now: h.deps.now,
  });
  const open = async (line: string, keys: string[]) => {
    const c = h.call(PHONES.ada, line);
    await c.start();
    for (const k of keys) await c.press(k);
    return (await h.deps.tickets.get((await h.deps.calls.get(c.callSid))!.ticketNumber!))!;
  };
  p1 = await open(LINES.us, ['2', '1']);
  // Contract v2 §2.8: Ada's second call is asked about her open ticket first; 2 opens a new one.
  p3 = await open(LINES.us, ['2', '2', '3']);
  polish = await open(LINES.pl, ['2', '2']);
});
afterAll(async () => {
  await h?.stop();
});

function event(
  method: string,
  path: string,
  o: { query?: Record<string, string>; body?: unknown; token?: string | null; claims?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(o.query ?? {}).toString(),
    headers: o.token === null ? {} : { authorization: `Bearer ${o.token ?? TOKEN}` },
    queryStringParameters: o.query,
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      ...(o.claims ? { authorizer: { jwt: { claims: o.claims, scopes: [] } } } : {}),
    },
    ...(body === undefined ? {} : { body: Buffer.from(body).toString('base64') }),
    isBase64Encoded: body !== undefined,
  } as unknown as APIGatewayProxyEventV2;
}

async function call(method: string, path: string, o: Parameters<typeof event>[2] = {}, withApi = api): Promise<{ status: number; body: any }> {
  const res = (await withApi(event(method, path, o))) as APIGatewayProxyStructuredResultV2;
  expect(res.headers?.['content-type']).toBe('application/json; charset=utf-8');
  return { status: res.statusCode!, body: JSON.parse(String(res.body)) };
}

describe('tokens', () => {
  it('every route but the OpenAPI description needs the bearer token', async () => {
    for (const [m, p] of [
      ['GET', '/api/queues'],
      ['GET', '/api/agents'],
      ['POST', `/api/tickets/${p1.number}/close`],
      ['GET', `/api/tickets/${p1.number}/timeline`],
    ] as const) {
      const res = await call(m, p, { token: 'wrong' });
      expect(res.status, p).toBe(401);
    }
    expect((await call('GET', '/api/openapi.json', { token: null })).status).toBe(200);
  });

  it('on AWS a JWT must be in the supervisors or agents group, and only supervisors change priorities', async () => {
    const iam = boardApi({ ...deps(), apiToken: async () => undefined });
    expect((await call('GET', '/api/queues', { token: null, claims: { sub: 'u1', 'cognito:groups': '[viewers]' } }, iam)).status).toBe(403);
    expect((await call('GET', '/api/queues', { token: null, claims: { sub: 'u1', 'cognito:groups': '[agents]' } }, iam)).status).toBe(200);
    const denied = await call(
      'POST',
      `/api/tickets/${p3.number}/priority`,
      { token: null, claims: { sub: 'u1', 'cognito:groups': 'agents' }, body: { priority: 'P2', reason: 'x' } },
      iam,
    );
    expect(denied).toEqual({ status: 403, body: { error: 'only supervisors change priorities' } });
  });
});

function deps() {
  return {
    tickets: h.deps.tickets,
    audit: h.deps.audit,
    directory: h.deps.directory,
    agents: new DynamoAgentPresence(h.doc!, h.tables!.calls),
    notifier: h.deps.notifier,
    now: h.deps.now,
    apiToken: async () => TOKEN as string | undefined,
  };
}

describe('GET /api/openapi.json', () => {
  it('describes every /api/* route of the routing table and GET /health with its method (no Twilio webhook)', async () => {
    const { status, body } = await call('GET', '/api/openapi.json', { token: null });
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    const apiRoutes = ROUTES.filter((r) => r.path.startsWith('/api/') || r.path === '/health');
    expect(apiRoutes.length).toBeGreaterThanOrEqual(11);
    for (const r of apiRoutes) expect(body.paths[r.path]?.[r.method.toLowerCase()], `${r.method} ${r.path}`).toBeDefined();
    const described = Object.entries(body.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(described.sort()).toEqual(apiRoutes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('generates bodies and parameters from the zod schemas the routes validate with', async () => {
    const { body } = await call('GET', '/api/openapi.json', { token: null });
    const priority = body.paths['/api/tickets/{number}/priority'].post;
    const schema = priority.requestBody.content['application/json'].schema;
    expect(schema.required.sort()).toEqual(['priority', 'reason']);
    expect(schema.additionalProperties).toBe(false);
    expect(priority.parameters).toEqual([expect.objectContaining({ name: 'number', in: 'path', required: true })]);
    const list = body.paths['/api/tickets'].get.parameters.map((p: { name: string }) => p.name);
    expect(list.sort()).toEqual(['limit', 'org', 'priority', 'status']);
    expect(body.paths['/api/openapi.json'].get.security).toEqual([]);
    expect(body.paths['/api/queues'].get.responses['401']).toBeDefined();
  });
});

describe('POST /api/tickets/{number}/priority', () => {
  it('rejects an unknown level and a missing reason with the reason, changing nothing', async () => {
    const unknown = await call('POST', `/api/tickets/${p3.number}/priority`, { body: { priority: 'P9', reason: 'customer escalated' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.problems).toEqual(["priority: P9 is not a level of this ticket's scheme (P1, P2, P3, P4)"]);
    const noReason = await call('POST', `/api/tickets/${p3.number}/priority`, { body: { priority: 'P1' } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.problems.join(' ')).toMatch(/^reason: /);
    expect((await call('POST', `/api/tickets/${p3.number}/priority`, { body: { priority: 'P1', reason: '   ' } })).status).toBe(400);
    expect((await call('POST', `/api/tickets/${p3.number}/priority`, { body: 'not json' })).body).toEqual({ error: 'the body is not JSON' });
    expect((await call('POST', '/api/tickets/9999999/priority', { body: { priority: 'P1', reason: 'x' } })).status).toBe(404);
    expect(await h.deps.tickets.get(p3.number)).toEqual(p3);
  });

  it('changes the level, recomputes the due times from creation and keeps the change and reason', async () => {
    h.clock.now += 10 * 60_000;
    const res = await call('POST', `/api/tickets/${p3.number}/priority`, { body: { priority: 'P1', reason: 'production is down' } });
    expect(res.status).toBe(200);
    const created = Date.parse(p3.createdAt);
    expect(res.body).toMatchObject({
      priority: 'P1',
      priorityRank: 0,
      firstResponseDue: new Date(created + HOUR).toISOString(),
      restoreDue: new Date(created + 4 * HOUR).toISOString(),
    });
    expect(res.body.priorityHistory).toEqual([{ from: 'P3', to: 'P1', reason: 'production is down', at: new Date(h.clock.now).toISOString() }]);
    const stored = await h.deps.tickets.get(p3.number);
    expect(stored).toEqual(res.body);
    // The agents' line now finds it among the most urgent: the queue index follows the new rank.
    const waiting = await h.deps.tickets.waiting(p3.service, p3.language, p3.tier, 5);
    expect(waiting.map((t) => t.number)).toEqual([p1.number, p3.number]);
    // Back to P3: no restoration due time in that level, and the history grows.
    const back = await call('POST', `/api/tickets/${p3.number}/priority`, { body: { priority: 'P3', reason: 'workaround found' } });
    expect(back.body.restoreDue).toBeUndefined();
    expect(back.body.firstResponseDue).toBe(new Date(created + 24 * HOUR).toISOString());
    expect(back.body.priorityHistory.map((c: { to: string }) => c.to)).toEqual(['P1', 'P3']);
  });
});

describe('GET /api/queues, /api/agents, /api/tickets/{n}/timeline, /api/stats/hourly', () => {
  it('queues: waiting by priority, longest wait, time to the first breach; a waiting P1 stands out', async () => {
    const { status, body } = await call('GET', '/api/queues');
    expect(status).toBe(200);
    const tech = body.queues.find((q: { id: string }) => q.id === 'technical.en-US.t1');
    expect(tech).toMatchObject({ waiting: { P1: 1, P3: 1 }, waitingTotal: 2, topPriorityWaiting: true, breached: false, firstBreachTicket: p1.number });
    const elapsed = Math.floor((h.clock.now - Date.parse(p1.createdAt)) / 1000);
    expect(tech.longestWaitS).toBe(elapsed);
    expect(tech.firstBreachInS).toBe(3600 - elapsed);
    expect(body.queues[0].id).toBe('technical.en-US.t1');
  });

  it("agents: on a call with the ticket, idle, or signed out, from the agents' own call state", async () => {
    const now = new Date(h.clock.now).toISOString();
    const base = {
      kind: 'agent' as const,
      from: '+15550100001',
      line: '+15550100000',
      country: '',
      language: 'en-US',
      createdAt: now,
      n: 5,
      tries: 0,
      signedIn: true,
    };
    await h.deps.calls.create({ ...base, callSid: newCallSid(), agentId: '1001', expect: 'agent-done', ticketNumber: p1.number }, '<Response/>', h.clock.now);
    await h.deps.calls.create({ ...base, callSid: newCallSid(), agentId: '1002', expect: 'agent-next' }, '<Response/>', h.clock.now);
    const gone = newCallSid();
    await h.deps.calls.create({ ...base, callSid: gone, agentId: '1003', expect: 'agent-next' }, '<Response/>', h.clock.now);
    await h.deps.calls.markEnded(gone, now);
    // Not signed in yet: not shown.
    await h.deps.calls.create({ ...base, callSid: newCallSid(), agentId: '1004', expect: 'agent-pin', signedIn: undefined }, '<Response/>', h.clock.now);
    const { body } = await call('GET', '/api/agents');
    expect(body.agents).toEqual([
      { id: '1001', name: 'Sam', languages: ['en-US'], services: ['technical', 'billing'], state: 'on-call', ticket: p1.number, since: now },
      { id: '1002', name: 'Kim', languages: ['pl-PL'], services: ['technical'], state: 'idle', since: now },
      { id: '1003', state: 'signed-out', since: now, endedAt: now },
    ]);
  });

  it('timeline: created, queued, priority changes, and how the caller was verified', async () => {
    const { status, body } = await call('GET', `/api/tickets/${p3.number}/timeline`);
    expect(status).toBe(200);
    expect(body.timeline.map((e: { event: string }) => e.event)).toEqual(['created', 'queued', 'priority', 'priority']);
    expect(body.verification).toEqual([expect.objectContaining({ org: 'contoso', method: 'caller-id', result: 'verified', callSid: p3.callSid })]);
    expect((await call('GET', '/api/tickets/12x/timeline')).status).toBe(400);
    expect((await call('GET', '/api/tickets/9999999/timeline')).body).toEqual({ error: 'no ticket 9999999' });
  });

  it('hourly: callers waiting and answered per hour and priority', async () => {
    const since = new Date(Date.parse(p1.createdAt) - HOUR).toISOString();
    const { status, body } = await call('GET', '/api/stats/hourly', { query: { since } });
    expect(status).toBe(200);
    expect(body.hours).toHaveLength(2);
    // The P1, the P3 and the Polish P2, all waiting since this hour; nobody answered yet.
    expect(polish.priority).toBe('P2');
    expect(body.hours[1].waiting).toEqual({ P1: 1, P2: 1, P3: 1 });
    expect(body.hours[1].answered).toEqual({});
    expect(body.hours[0].waiting).toEqual({});
    expect(body.levels).toEqual(['P1', 'P2', 'P3']);
    expect((await call('GET', '/api/stats/hourly', { query: { since: 'yesterday' } })).status).toBe(400);
  });
});

describe('POST /api/tickets/{number}/close', () => {
  it('404 with a reason for an unknown ticket, 400 for a bad body', async () => {
    expect(await call('POST', '/api/tickets/9999999/close')).toEqual({ status: 404, body: { error: 'no ticket 9999999' } });
    const bad = await call('POST', `/api/tickets/${p1.number}/close`, { body: { resolution: 42 } });
    expect(bad.status).toBe(400);
    expect(bad.body.problems[0]).toMatch(/^resolution: /);
    expect((await call('GET', `/api/tickets/${p1.number}/close`)).status).toBe(405);
  });

  it('closes with the resolution, tells the organization once, and a second close changes nothing', async () => {
    const before = h.delivered.length;
    h.clock.now += 60_000;
    const res = await call('POST', `/api/tickets/${p1.number}/close`, { body: { resolution: 'Restarted the gateway' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ number: p1.number, status: 'closed', closedAt: new Date(h.clock.now).toISOString(), resolution: 'Restarted the gateway' });
    expect(h.delivered.slice(before)).toEqual([
      { channel: 'sms', to: '+48601234567', body: `Support ticket ${p1.number} (P1) for Contoso is closed.\nResolution: Restarted the gateway` },
    ]);
    // Out of the agents' queue.
    expect((await h.deps.tickets.waiting(p1.service, p1.language, p1.tier, 5)).map((t) => t.number)).not.toContain(p1.number);
    h.clock.now += 60_000;
    const again = await call('POST', `/api/tickets/${p1.number}/close`, { body: { resolution: 'other' } });
    expect(again).toEqual({ status: 200, body: res.body });
    expect(h.delivered.length).toBe(before + 1);
    expect((await call('POST', `/api/tickets/${p1.number}/priority`, { body: { priority: 'P2', reason: 'x' } })).status).toBe(409);
  });

  it("tells the organization in the ticket's language, with no body at all", async () => {
    const before = h.delivered.length;
    const res = await call('POST', `/api/tickets/${polish.number}/close`);
    expect(res.status).toBe(200);
    expect(res.body.resolution).toBeUndefined();
    expect(h.delivered.slice(before)).toEqual([
      { channel: 'sms', to: '+48601234567', body: `Zgłoszenie ${polish.number} (${polish.priority}) dla Contoso zostało zamknięte.` },
    ]);
  });
});
