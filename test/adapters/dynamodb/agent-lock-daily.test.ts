/** The per-number lock and the daily cap of DynamoAgentLockStore against the embedded DynamoDB (contract §3 v2, issue 14). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAgentLockStore } from '../../../functions/adapters/dynamodb/agent-lock-store.js';
import { DAILY_PIN_CAP, LOCKOUT } from '../../../functions/domain/agents.js';
import { startDynamo, type EmbeddedDynamo } from '../../support/embedded-dynamo.js';

let dynamo: EmbeddedDynamo;
let store: DynamoAgentLockStore;
// A fixed instant far ahead of the real clock, so DynamoDB Local's TTL sweep never deletes these items under the test.
const T0 = Date.parse('2036-05-13T09:00:00Z');
const A = '+12025550101';
const B = '+12025550102';

beforeAll(async () => {
  dynamo = await startDynamo();
  store = new DynamoAgentLockStore(dynamo.doc, dynamo.tables.calls);
});
afterAll(async () => {
  await dynamo?.stop();
});

describe('DynamoAgentLockStore per calling number', () => {
  it('locks the id for the number that entered the wrong PINs only', async () => {
    for (let i = 0; i < LOCKOUT.maxFailures; i++) await store.recordFailure('7001', `CAa:${i}`, T0 + i, A);
    expect(await store.isLocked('7001', T0 + 10, A)).toBe(true);
    expect(await store.isLocked('7001', T0 + 10, B)).toBe(false);
    expect(await store.isLocked('7001', T0 + 10)).toBe(false);
    const item = await dynamo.doc.send(new GetCommand({ TableName: dynamo.tables.calls, Key: { pk: 'AGENTLOCK#7001', sk: `LOCK#${A}` } }));
    expect(item.Item).toMatchObject({ failures: 5, lockedUntil: T0 + 4 + LOCKOUT.lockMs });
  });

  it('counts every wrong PIN of the day across numbers once, replays not twice, and reaches the cap exactly once under concurrency', async () => {
    const first = await store.recordFailure('7002', 'CAd:1', T0, A);
    expect(first.day).toEqual({ day: '2036-05-13', count: 1, numbers: [A], paged: false, capReachedNow: false });
    const replay = await store.recordFailure('7002', 'CAd:1', T0 + 1, A);
    expect(replay.day.count).toBe(1);
    const results = await Promise.all(
      Array.from({ length: DAILY_PIN_CAP + 4 }, (_, i) => store.recordFailure('7002', `CAp${i}:3`, T0 + 2, `+1202555${String(2000 + i)}`)),
    );
    expect(results.filter((r) => r.day.capReachedNow)).toHaveLength(1);
    expect(await store.daily('7002', T0 + 3)).toMatchObject({ count: DAILY_PIN_CAP + 5, paged: true });
    // No number reached 5 on its own: nobody is locked.
    expect(results.some((r) => r.locked)).toBe(false);
    // The next UTC day starts a new count.
    const tomorrow = await store.recordFailure('7002', 'CAn:1', T0 + 86_400_000, A);
    expect(tomorrow.day).toMatchObject({ day: '2036-05-14', count: 1, paged: false });
  });
});
