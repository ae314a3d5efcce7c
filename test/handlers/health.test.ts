/**
 * `GET /health` (functions/handlers/health.ts) on the embedded DynamoDB: 200 with what an operator needs
 * and no token, the ticket store read at most once per interval however many probes come, and 503
 * naming what fails (by error class only) when the store does not answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler, STORE_CHECK_EVERY_MS } from '../../functions/handlers/health.js';
import { HealthSchema, openApiDocument } from '../../functions/app/api/openapi.js';
import { matchRoute } from '../../functions/routes.js';
import { startDynamo, type EmbeddedDynamo } from '../support/embedded-dynamo.js';

let db: EmbeddedDynamo;
beforeAll(async () => {
  db = await startDynamo();
});
afterAll(async () => {
  await db?.stop();
});

const envOf = (tickets: string) => ({
  TABLE_TICKETS: tickets,
  DYNAMODB_ENDPOINT: db.endpoint,
  AWS_REGION: 'eu-west-1',
  AWS_LAMBDA_FUNCTION_NAME: 'support-line-dev-health',
  AWS_LAMBDA_FUNCTION_VERSION: '7',
});

async function probe(handler: ReturnType<typeof createHandler>) {
  const r = await handler();
  expect(r.headers?.['content-type']).toMatch(/^application\/json/);
  return { status: r.statusCode, body: JSON.parse(String(r.body)) as Record<string, unknown> & { store: Record<string, unknown> } };
}

describe('GET /health', () => {
  it('is a public route of the routing table, described in the OpenAPI document without security', () => {
    const m = matchRoute('GET', '/health');
    expect(m !== 'method-not-allowed' && m?.route).toMatchObject({ fn: 'health', auth: 'public' });
    expect(matchRoute('POST', '/health')).toBe('method-not-allowed');
    const op = (openApiDocument().paths as Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown> }>>)['/health']!.get!;
    expect(op.security).toEqual([]);
    expect(Object.keys(op.responses).sort()).toEqual(['200', '503']);
  });

  it('answers 200 with region, function, version and the store check; the local server adds its details', async () => {
    const clock = { now: Date.parse('2026-05-13T15:00:00Z') };
    const { status, body } = await probe(createHandler(envOf(db.tables.tickets), { now: () => clock.now }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', region: 'eu-west-1', function: 'support-line-dev-health', version: '7' });
    expect(body.store).toMatchObject({ status: 'ok', checkedAt: '2026-05-13T15:00:00.000Z' });
    expect(body.reason).toBeUndefined();
    expect(HealthSchema.safeParse(body).success).toBe(true);

    const local = createHandler(envOf(db.tables.tickets), { details: () => ({ mode: 'local', database: 'external', uptimeSeconds: 3 }) });
    const withDetails = await probe(local);
    expect(withDetails.body).toMatchObject({ status: 'ok', mode: 'local', database: 'external', uptimeSeconds: 3 });
    expect(HealthSchema.safeParse(withDetails.body).success).toBe(true);
  });

  it('reads the store at most once per interval; when it stops answering the next check says 503 and why', async () => {
    const clock = { now: Date.parse('2026-05-13T15:00:00Z') };
    const handler = createHandler(envOf(db.tables.tickets), { now: () => clock.now });
    expect((await probe(handler)).status).toBe(200);

    await db.pause();
    try {
      // Within the interval: the last check answers, DynamoDB is not asked.
      clock.now += STORE_CHECK_EVERY_MS - 1;
      const cached = await probe(handler);
      expect(cached.status).toBe(200);
      expect(cached.body.store.checkedAt).toBe('2026-05-13T15:00:00.000Z');

      clock.now += 1;
      const [a, b] = await Promise.all([probe(handler), probe(handler)]); // simultaneous probes share one read
      expect(a).toEqual(b);
      expect(a.status).toBe(503);
      expect(a.body.status).toBe('unavailable');
      expect(a.body.store).toMatchObject({ status: 'unavailable', checkedAt: new Date(clock.now).toISOString() });
      expect(a.body.reason).toMatch(/^the ticket store does not answer \(\w+\)$/);
      expect(HealthSchema.safeParse(a.body).success).toBe(true);
    } finally {
      await db.resume();
    }
    clock.now += STORE_CHECK_EVERY_MS;
    expect((await probe(handler)).status).toBe(200);
  });

  it('a table it cannot read is 503 named by the error class, never by the message (it may carry the account)', async () => {
    const { status, body } = await probe(createHandler(envOf('no-such-table')));
    expect(status).toBe(503);
    expect(body.reason).toBe('the ticket store does not answer (ResourceNotFoundException)');
    expect(JSON.stringify(body)).not.toContain('no-such-table');
  });
});
