/**
 * POST /api/tickets/{number}/escalate (issue 8): a first-line specialist hands a ticket to the engineers.
 * Against the embedded DynamoDB, so the re-indexing into the engineers' queue partition is real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ticketsApi } from '../../functions/app/tickets-api.js';
import { DynamoTicketStore } from '../../functions/adapters/dynamodb/ticket-store.js';
import { matchRoute } from '../../functions/routes.js';
import { queueName, type Ticket } from '../../functions/domain/tickets.js';
import { startDynamo, type EmbeddedDynamo } from '../support/embedded-dynamo.js';

let db: EmbeddedDynamo;
let store: DynamoTicketStore;
const TOKEN = 'api-test-token';

beforeAll(async () => {
  db = await startDynamo();
  store = new DynamoTicketStore(db.doc, db.tables.tickets);
});
afterAll(async () => {
  await db?.stop();
});

const api = () => ticketsApi({ tickets: store, audit: { forOrg: async () => [] }, apiToken: async () => TOKEN });

function request(method: string, path: string, token = TOKEN): APIGatewayProxyEventV2 {
  return {
    rawPath: path,
    headers: { authorization: `Bearer ${token}` },
    requestContext: { http: { method } },
  } as unknown as APIGatewayProxyEventV2;
}

async function call(method: string, path: string, token?: string) {
  const r = await api()(request(method, path, token));
  return { status: r.statusCode, json: r.body ? JSON.parse(r.body) : undefined, headers: r.headers ?? {} };
}

let seq = 0;
async function ticket(fields: Partial<Ticket> = {}): Promise<Ticket> {
  const number = String(2_000_000 + ++seq);
  const t: Ticket = {
    number,
    org: 'acme',
    orgName: 'Acme',
    plan: 'premier',
    service: 'technical',
    priority: 'P2',
    priorityRank: 1,
    status: 'waiting',
    line: '+14155550150',
    language: 'en-US',
    country: 'US',
    verifiedBy: 'caller-id',
    caller: '+16505550101',
    createdAt: new Date(Date.now() - 60_000 + seq).toISOString(),
    firstResponseDue: new Date(Date.now() + 3_600_000).toISOString(),
    callSid: `CA${number}`,
    priorityQueue: false,
    tier: 1,
    ...fields,
  };
  const withQueue = t.status === 'waiting' ? { ...t, queue: queueName(t) } : t;
  return store.putIfAbsent(withQueue);
}

describe('POST /api/tickets/{number}/escalate', () => {
  it('is a route of its own, authorized like the rest of the API', () => {
    expect(matchRoute('POST', '/api/tickets/1000001/escalate')).toMatchObject({ route: { fn: 'tickets-api', auth: 'api' }, params: { number: '1000001' } });
    expect(matchRoute('GET', '/api/tickets/1000001/escalate')).toBe('method-not-allowed');
  });

  it("moves a waiting tier 1 ticket to tier 2: out of the first line queue, into the engineers'", async () => {
    const t = await ticket();
    expect((await store.waiting('technical', 'en-US', 1, 100)).map((x) => x.number)).toContain(t.number);
    const r = await call('POST', `/api/tickets/${t.number}/escalate`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ number: t.number, tier: 2, status: 'waiting', priority: 'P2', firstResponseDue: t.firstResponseDue });
    expect(await store.get(t.number)).toMatchObject({ tier: 2, status: 'waiting' });
    expect((await store.waiting('technical', 'en-US', 1, 100)).map((x) => x.number)).not.toContain(t.number);
    expect((await store.waiting('technical', 'en-US', 2, 100)).map((x) => x.number)).toContain(t.number);
  });

  it('escalates a ticket an agent holds without undoing the claim', async () => {
    const t = await ticket({ status: 'in-progress', agent: '6001', answeredAt: new Date().toISOString() });
    const r = await call('POST', `/api/tickets/${t.number}/escalate`);
    expect(r.status).toBe(200);
    expect(await store.get(t.number)).toMatchObject({ tier: 2, status: 'in-progress', agent: '6001' });
  });

  it('loses no claim made while it escalates: the compare-and-set fails, it re-reads and applies again', async () => {
    const t = await ticket();
    let raced = false;
    const racing = {
      get: (n: string) => store.get(n),
      list: store.list.bind(store),
      // An agent claims the ticket between the API's read and its write.
      replaceIf: async (current: Ticket, next: Ticket) => {
        if (!raced) {
          raced = true;
          await store.transition(t.number, 'in-progress', { agent: '6002', answeredAt: new Date().toISOString() }, ['waiting']);
        }
        return store.replaceIf(current, next);
      },
    };
    const r = await ticketsApi({ tickets: racing, audit: { forOrg: async () => [] }, apiToken: async () => TOKEN })(
      request('POST', `/api/tickets/${t.number}/escalate`),
    );
    expect(r.statusCode).toBe(200);
    expect(raced).toBe(true);
    expect(await store.get(t.number)).toMatchObject({ tier: 2, status: 'in-progress', agent: '6002' });
  });

  it('is idempotent: a repeated request leaves the ticket at tier 2', async () => {
    const t = await ticket();
    await call('POST', `/api/tickets/${t.number}/escalate`);
    const again = await call('POST', `/api/tickets/${t.number}/escalate`);
    expect(again.status).toBe(200);
    expect(again.json.tier).toBe(2);
    expect((await store.get(t.number))?.tier).toBe(2);
  });

  it('refuses closed, unknown and malformed tickets, other methods and missing tokens', async () => {
    const closed = await ticket({ status: 'closed' });
    expect((await call('POST', `/api/tickets/${closed.number}/escalate`)).status).toBe(409);
    expect((await store.get(closed.number))?.tier).toBe(1);
    expect((await call('POST', '/api/tickets/9999999/escalate')).status).toBe(404);
    expect((await call('POST', '/api/tickets/12ab/escalate')).status).toBe(400);
    const t = await ticket();
    const get = await call('GET', `/api/tickets/${t.number}/escalate`);
    expect(get).toMatchObject({ status: 405, headers: { allow: 'POST' } });
    expect((await call('POST', `/api/tickets/${t.number}/escalate`, 'wrong')).status).toBe(401);
    expect((await call('POST', `/api/tickets/${t.number}`)).status).toBe(405);
    expect((await store.get(t.number))?.tier).toBe(1);
  });
});
