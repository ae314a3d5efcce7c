/**
 * Every AWS SDK client the functions build (sdk-client-options.ts) turns a hang into an error within
 * 1.5 s, and the adapters name it in domain terms: DynamoDB through a TCP relay that black-holes (accepts,
 * never answers) in front of the test DynamoDB; SNS, SES and SQS against a black hole of their own.
 * A burst far larger than the SDK's default socket pool (50) is served without one request timing out
 * while it waits for a socket.
 *
 * Each bounded call waits out the product's own timeouts (about 0.9 s): those tests have a relay or
 * black hole of their own and run side by side, so the file waits for the bound about once, not six times.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamoClient } from '../../functions/adapters/dynamodb/client.js';
import { DynamoTicketStore } from '../../functions/adapters/dynamodb/ticket-store.js';
import { DynamoCallStore } from '../../functions/adapters/dynamodb/call-store.js';
import { SnsSmsNotifier } from '../../functions/adapters/sns/sms-notifier.js';
import { SesEmailNotifier } from '../../functions/adapters/ses/email-notifier.js';
import { SqsTicketSpool } from '../../functions/adapters/spool/sqs-spool.js';
import { BudgetRetryStrategy, sdkClientOptions } from '../../functions/adapters/sdk-client-options.js';
import { DeliveryFailedError, StoreUnavailableError } from '../../functions/domain/errors.js';
import { startDynamo, type EmbeddedDynamo } from '../support/embedded-dynamo.js';
import { startTcpRelay, type TcpRelay } from '../support/tcp-relay.js';
import { spooledTicket } from '../adapters/spool/fixtures.js';

const BOUND_MS = 1_500;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let db: EmbeddedDynamo;
let blackHole: TcpRelay;
/** Relays of the DynamoDB tests: one per test, since they switch its mode while the others run. */
const relays: TcpRelay[] = [];

beforeAll(async () => {
  db = await startDynamo();
  blackHole = await startTcpRelay(db.endpoint);
  await blackHole.blackHole();
});
afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
  await blackHole?.close();
  await db?.stop();
});

async function ownRelay(): Promise<TcpRelay> {
  const relay = await startTcpRelay(db.endpoint);
  relays.push(relay);
  return relay;
}

/** Runs `op`, expecting it to fail; returns the error and how long it took. */
async function timedFailure(op: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const t0 = performance.now();
  try {
    await op();
  } catch (error) {
    return { error, ms: performance.now() - t0 };
  }
  throw new Error('expected the call to fail');
}

describe.concurrent('DynamoDB behind a relay that black-holes', () => {
  it('a call on a fresh connection fails with StoreUnavailableError within 1.5 s', async () => {
    const relay = await ownRelay();
    // Reachable through the relay (checked with an unbounded client: a cold engine on a loaded machine may be slow).
    const plain = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', endpoint: relay.endpoint, credentials }));
    expect(await new DynamoTicketStore(plain, db.tables.tickets).get('100001')).toBeUndefined();
    plain.destroy();
    const doc = dynamoClient({ region: 'us-east-1', dynamoEndpoint: relay.endpoint });
    const tickets = new DynamoTicketStore(doc, db.tables.tickets);
    await relay.blackHole();
    const { error, ms } = await timedFailure(() => tickets.get('100002'));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/TimeoutError/);
    expect(ms).toBeLessThanOrEqual(BOUND_MS);
    doc.destroy();
  });

  it('a call on a kept-alive connection that stops answering fails within 1.5 s, and the next call works again', async () => {
    const relay = await ownRelay();
    const doc = dynamoClient({ region: 'us-east-1', dynamoEndpoint: relay.endpoint });
    const calls = new DynamoCallStore(doc, db.tables.calls);
    const callSid = `CA${'1'.repeat(32)}`;
    expect(await calls.get(callSid)).toBeUndefined();
    await relay.blackHole();
    const { error, ms } = await timedFailure(() => calls.get(callSid));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(ms).toBeLessThanOrEqual(BOUND_MS);
    await relay.pass();
    expect(await calls.get(callSid)).toBeUndefined();
    doc.destroy();
  });

  it('a refused connection is StoreUnavailableError too, well within the bound', async () => {
    const relay = await ownRelay();
    await relay.refuse();
    const doc = dynamoClient({ region: 'us-east-1', dynamoEndpoint: relay.endpoint });
    const { error, ms } = await timedFailure(() => new DynamoTicketStore(doc, db.tables.tickets).get('100003'));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(ms).toBeLessThanOrEqual(BOUND_MS);
    await relay.pass();
    doc.destroy();
  });
});

describe.concurrent('SNS, SES and SQS against a black hole', () => {
  it('a text message fails with DeliveryFailedError within 1.5 s', async () => {
    const sms = new SnsSmsNotifier(new SNSClient({ region: 'us-east-1', endpoint: blackHole.endpoint, credentials, ...sdkClientOptions() }));
    const { error, ms } = await timedFailure(() => sms.send({ channel: 'sms', to: '+48601234567', body: 'hello' }));
    expect(error).toBeInstanceOf(DeliveryFailedError);
    expect((error as Error).message).toMatch(/TimeoutError/);
    expect(ms).toBeLessThanOrEqual(BOUND_MS);
  });

  it('an email fails with DeliveryFailedError within 1.5 s', async () => {
    const email = new SesEmailNotifier(new SESv2Client({ region: 'us-east-1', endpoint: blackHole.endpoint, credentials, ...sdkClientOptions() }), {
      from: 'support@example.com',
    });
    const { error, ms } = await timedFailure(() => email.send({ channel: 'email', to: 'admin@example.com', subject: 's', body: 'hello' }));
    expect(error).toBeInstanceOf(DeliveryFailedError);
    expect(ms).toBeLessThanOrEqual(BOUND_MS);
  });

  it('the SQS ticket spool fails with StoreUnavailableError within 1.5 s', async () => {
    await import('@aws-sdk/client-sqs'); // the spool loads the SDK module on first use; its load time is not the call's
    vi.stubEnv('AWS_ACCESS_KEY_ID', credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey);
    try {
      const spool = new SqsTicketSpool('https://sqs.us-east-1.amazonaws.com/123456789012/spool', { region: 'us-east-1', endpoint: blackHole.endpoint });
      const { error, ms } = await timedFailure(() => spool.save(spooledTicket()));
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(ms).toBeLessThanOrEqual(BOUND_MS);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('a burst larger than the default socket pool', () => {
  // The database answers every GetItem "no item" after 1.2 s. The timeouts are stretched (20 s per attempt,
  // 3 s to connect, six times what the product allows) so that only the wait for a socket can make a call
  // fail, not this machine's load: with 50 sockets 200 requests need 4 rounds (4.8 s), and the last round
  // waits 3.6 s for its socket, longer than the connection timeout, which counts that wait (a slower machine
  // only waits longer); with the sized pool every request has its socket at once.
  const DELAY_MS = 1_200;
  const limits = { attemptMs: 20_000, budgetMs: 21_000, connectMs: 3_000 };
  let slow: Server;
  let endpoint: string;
  beforeAll(async () => {
    slow = createServer((req, res) => {
      req.resume();
      req.on('end', () => setTimeout(() => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}'), DELAY_MS));
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    slow.closeAllConnections();
    await new Promise<void>((resolve) => slow.close(() => resolve()));
  });

  const burst = async (extra: { maxSockets?: number }) => {
    const doc = dynamoClient({ region: 'us-east-1', dynamoEndpoint: endpoint }, { ...limits, ...extra });
    const tickets = new DynamoTicketStore(doc, 'tickets');
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => tickets.get(String(200000 + i))));
    doc.destroy();
    return results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
  };

  it('200 simultaneous reads all answer with the client as built', { timeout: 60_000 }, async () => {
    expect((await burst({})).slice(0, 3)).toEqual([]);
  });

  it('the same burst with the default pool of 50 loses calls waiting for a socket (the fault this guards against)', { timeout: 60_000 }, async () => {
    const failures = await burst({ maxSockets: 50 });
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]).toMatch(/TimeoutError/);
  });
});

describe('BudgetRetryStrategy', () => {
  const limits = { budgetMs: 1_400, attemptMs: 900, maxAttempts: 3 };
  const throttled = { errorType: 'THROTTLING' as const };

  it('retries a fast throttle while a whole attempt still fits in the budget', async () => {
    let clock = 0;
    const strategy = new BudgetRetryStrategy(
      limits,
      () => clock,
      () => 0,
    );
    const first = await strategy.acquireInitialRetryToken();
    clock = 30;
    const second = await strategy.refreshRetryTokenForRetry(first, throttled);
    expect(second.getRetryCount()).toBe(1);
    clock = 60;
    const third = await strategy.refreshRetryTokenForRetry(second, throttled);
    expect(third.getRetryCount()).toBe(2);
    clock = 90;
    await expect(strategy.refreshRetryTokenForRetry(third, throttled)).rejects.toThrow('no attempts left');
  });

  it('does not start an attempt that could end after the budget (a timed-out attempt is not retried)', async () => {
    let clock = 0;
    const strategy = new BudgetRetryStrategy(
      limits,
      () => clock,
      () => 0,
    );
    const first = await strategy.acquireInitialRetryToken();
    clock = 900;
    await expect(strategy.refreshRetryTokenForRetry(first, { errorType: 'TRANSIENT' })).rejects.toThrow('call budget spent');
    clock = 500;
    expect((await strategy.refreshRetryTokenForRetry(first, { errorType: 'TRANSIENT' })).getRetryCount()).toBe(1);
  });

  it('never retries a client error (a bad request stays a bad request)', async () => {
    const strategy = new BudgetRetryStrategy(
      limits,
      () => 0,
      () => 0,
    );
    await expect(strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(), { errorType: 'CLIENT_ERROR' })).rejects.toThrow('not retryable');
  });
});
