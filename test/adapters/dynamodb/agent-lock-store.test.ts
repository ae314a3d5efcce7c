/** The sign-in lockout store against the embedded DynamoDB: counts, replays, concurrency, expiry. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAgentLockStore } from '../../../functions/adapters/dynamodb/agent-lock-store.js';
import { LOCKOUT } from '../../../functions/domain/agents.js';
import { startDynamo, ttlSafeNow, type EmbeddedDynamo } from '../../support/embedded-dynamo.js';

let dynamo: EmbeddedDynamo;
let store: DynamoAgentLockStore;
let nextId = 5000;
const freshId = () => String(nextId++);
// In the future of the real clock: the lock items' TTL must not have passed (DynamoDB Local sweeps them).
const T0 = ttlSafeNow();

beforeAll(async () => {
  dynamo = await startDynamo();
  store = new DynamoAgentLockStore(dynamo.doc, dynamo.tables.calls);
});
afterAll(async () => {
  await dynamo?.stop();
});

describe('DynamoAgentLockStore', () => {
  it('locks an id on the 5th wrong PIN and keeps it locked for 15 minutes', async () => {
    const id = freshId();
    for (let i = 1; i <= 4; i++) {
      const r = await store.recordFailure(id, `CA1:${i}`, T0 + i);
      expect(r).toMatchObject({ locked: false, lockedNow: false, record: { failures: i } });
    }
    const fifth = await store.recordFailure(id, 'CA1:5', T0 + 5);
    expect(fifth).toMatchObject({ locked: true, lockedNow: true, record: { failures: 5, lockedUntil: T0 + 5 + LOCKOUT.lockMs } });
    expect(await store.isLocked(id, T0 + 5 + LOCKOUT.lockMs - 1)).toBe(true);
    // A further wrong PIN while locked neither extends the lock nor counts as the locking one.
    const sixth = await store.recordFailure(id, 'CA2:1', T0 + 60_000);
    expect(sixth).toMatchObject({ locked: true, lockedNow: false, record: { lockedUntil: T0 + 5 + LOCKOUT.lockMs } });
    // Expiry is checked in code, not left to DynamoDB's TTL.
    expect(await store.isLocked(id, T0 + 5 + LOCKOUT.lockMs)).toBe(false);
  });

  it('counts a replayed attempt (same call and step) once', async () => {
    const id = freshId();
    await store.recordFailure(id, 'CAx:3', T0);
    const again = await store.recordFailure(id, 'CAx:3', T0 + 10);
    expect(again.record.failures).toBe(1);
    await store.recordFailure(id, 'CAx:5', T0 + 20);
    expect((await store.get(id))?.failures).toBe(2);
  });

  it('counts concurrent wrong PINs from many calls exactly', async () => {
    const id = freshId();
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => store.recordFailure(id, `CA-par-${i}:3`, T0 + i)));
    expect(results.every((r) => !r.locked)).toBe(true);
    expect((await store.get(id))?.failures).toBe(4);
    expect(await store.isLocked(id, T0 + 10)).toBe(false);

    const id2 = freshId();
    const many = await Promise.all(Array.from({ length: 12 }, (_, i) => store.recordFailure(id2, `CA-many-${i}:3`, T0)));
    // Exactly one of them locked the agent; the rest found it locked or counted before it.
    expect(many.filter((r) => r.lockedNow)).toHaveLength(1);
    expect(many.filter((r) => !r.locked)).toHaveLength(4);
    const stored = await store.get(id2);
    expect(stored).toEqual({ failures: 5, firstFailureAt: T0, lockedUntil: T0 + LOCKOUT.lockMs });
  });

  it('a correct PIN clears the count, but never a lock in force', async () => {
    const id = freshId();
    await store.recordFailure(id, 'CAc:1', T0);
    await store.recordFailure(id, 'CAc:2', T0 + 1);
    await store.clear(id, T0 + 2);
    expect(await store.get(id)).toBeUndefined();
    const r = await store.recordFailure(id, 'CAc:3', T0 + 3);
    expect(r.record.failures).toBe(1);

    const locked = freshId();
    for (let i = 0; i < 5; i++) await store.recordFailure(locked, `CAl:${i}`, T0);
    await store.clear(locked, T0 + 1000);
    expect(await store.isLocked(locked, T0 + 1000)).toBe(true);
  });

  it('starts over after the lock expired, and after a stale count', async () => {
    const id = freshId();
    for (let i = 0; i < 5; i++) await store.recordFailure(id, `CAe:${i}`, T0);
    const after = await store.recordFailure(id, 'CAe:9', T0 + LOCKOUT.lockMs + 1);
    expect(after).toMatchObject({ locked: false, record: { failures: 1, firstFailureAt: T0 + LOCKOUT.lockMs + 1 } });

    const stale = freshId();
    await store.recordFailure(stale, 'CAs:1', T0);
    const later = await store.recordFailure(stale, 'CAs:2', T0 + LOCKOUT.windowMs);
    expect(later.record.failures).toBe(1);
  });

  it('stores one item per agent id in the calls table, with a TTL and no PIN', async () => {
    const id = freshId();
    await store.recordFailure(id, 'CAi:1', T0);
    const out = await dynamo.doc.send(new GetCommand({ TableName: dynamo.tables.calls, Key: { pk: `AGENTLOCK#${id}`, sk: 'LOCK' } }));
    expect(out.Item).toMatchObject({ failures: 1, firstFailureAt: T0, keys: ['CAi:1'], version: 1 });
    expect(out.Item!.expiresAt).toBeGreaterThan(Math.floor((T0 + LOCKOUT.windowMs) / 1000));
    expect(JSON.stringify(out.Item)).not.toMatch(/pin/i);
  });
});
