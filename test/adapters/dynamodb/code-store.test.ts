/**
 * Verification codes and send limits against the embedded DynamoDB: every limit of the code policy is a
 * write condition, so concurrency cannot overspend it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoCodeStore } from '../../../functions/adapters/dynamodb/code-store.js';
import { CODE_POLICY, type CodeRecord } from '../../../functions/domain/codes.js';
import { newCallSid } from '../../support/voice-harness.js';
import { startDynamo, ttlSafeNow, type EmbeddedDynamo } from '../../support/embedded-dynamo.js';

let dynamo: EmbeddedDynamo;
let store: DynamoCodeStore;
beforeAll(async () => {
  dynamo = await startDynamo();
  store = new DynamoCodeStore(dynamo.doc, dynamo.tables.calls);
});
afterAll(async () => {
  await dynamo.stop();
});

// In the future of the real clock: the code items' TTL must not have passed (DynamoDB Local sweeps them).
const T0 = ttlSafeNow();
const record = (over: Partial<CodeRecord> = {}): CodeRecord => ({
  hash: 'hmac-of-the-code',
  orgId: 'contoso',
  channel: 'sms',
  sentAtMs: T0,
  expiresAtMs: T0 + CODE_POLICY.ttlMs,
  attempts: 0,
  used: false,
  ...over,
});

async function freshCode(over: Partial<CodeRecord> = {}): Promise<string> {
  const sid = newCallSid();
  await store.put(sid, record(over));
  return sid;
}

describe('code attempts', () => {
  it('50 concurrent wrong entries against one code admit exactly 5, and the code is dead', async () => {
    const sid = await freshCode();
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => store.attempt(sid, false, T0 + 1_000)));
    const wrong = outcomes.filter((o) => o.result === 'wrong');
    const dead = outcomes.filter((o) => o.result === 'dead');
    expect(wrong).toHaveLength(4);
    expect(dead).toHaveLength(46); // the 5th wrong entry kills it; the other 45 find it dead
    expect(wrong.map((o) => (o as { left: number }).left).sort()).toEqual([1, 2, 3, 4]);
    // Exactly 5 were counted: the condition stopped the other 45 from writing.
    expect(await store.get(sid)).toMatchObject({ attempts: 5, used: false });
  });

  it('a right entry after death fails, even at the same instant', async () => {
    const sid = await freshCode();
    for (let i = 0; i < 5; i++) await store.attempt(sid, false, T0);
    expect(await store.attempt(sid, true, T0)).toEqual({ result: 'dead' });
    expect(await store.get(sid)).toMatchObject({ used: false, attempts: 5 });
  });

  it('50 concurrent right entries verify exactly once (single use)', async () => {
    const sid = await freshCode();
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => store.attempt(sid, true, T0 + 1)));
    expect(outcomes.filter((o) => o.result === 'verified')).toHaveLength(1);
    expect(outcomes.filter((o) => o.result === 'used')).toHaveLength(49);
    expect(await store.get(sid)).toMatchObject({ used: true, attempts: 0 });
  });

  it('a used code neither verifies again nor counts wrong entries', async () => {
    const sid = await freshCode();
    expect(await store.attempt(sid, true, T0)).toEqual({ result: 'verified' });
    expect(await store.attempt(sid, false, T0)).toEqual({ result: 'used' });
    expect(await store.attempt(sid, true, T0)).toEqual({ result: 'used' });
    expect(await store.get(sid)).toMatchObject({ used: true, attempts: 0 });
  });

  it('expiry is in the condition: from expiresAtMs on, neither a right nor a wrong entry counts', async () => {
    const sid = await freshCode();
    expect(await store.attempt(sid, true, T0 + CODE_POLICY.ttlMs)).toEqual({ result: 'expired' });
    expect(await store.attempt(sid, false, T0 + CODE_POLICY.ttlMs + 5)).toEqual({ result: 'expired' });
    expect(await store.get(sid)).toMatchObject({ used: false, attempts: 0 });
    expect(await store.attempt(sid, true, T0 + CODE_POLICY.ttlMs - 1)).toEqual({ result: 'verified' });
  });

  it('wrong entries count down, and the count survives a re-read', async () => {
    const sid = await freshCode();
    expect(await store.attempt(sid, false, T0)).toEqual({ result: 'wrong', left: 4 });
    expect(await store.attempt(sid, false, T0)).toEqual({ result: 'wrong', left: 3 });
    expect(await store.get(sid)).toMatchObject({ attempts: 2 });
    expect(await store.attempt(sid, true, T0)).toEqual({ result: 'verified' });
  });

  it('no code for the call is "missing", and nothing is created by trying', async () => {
    const sid = newCallSid();
    expect(await store.attempt(sid, true, T0)).toEqual({ result: 'missing' });
    expect(await store.attempt(sid, false, T0)).toEqual({ result: 'missing' });
    expect(await store.get(sid)).toBeUndefined();
  });

  it('a new code for the call replaces the old one, attempts and all', async () => {
    const sid = await freshCode({ hash: 'old' });
    await store.attempt(sid, false, T0);
    await store.put(sid, record({ hash: 'new', sentAtMs: T0 + 60_000, expiresAtMs: T0 + 660_000 }));
    expect(await store.get(sid)).toEqual(record({ hash: 'new', sentAtMs: T0 + 60_000, expiresAtMs: T0 + 660_000 }));
  });

  it('codes of different calls are independent', async () => {
    const a = await freshCode();
    const b = await freshCode();
    for (let i = 0; i < 5; i++) await store.attempt(a, false, T0);
    expect(await store.attempt(b, true, T0)).toEqual({ result: 'verified' });
  });
});

describe('send limit per organization', () => {
  it('20 concurrent reservations for one organization: exactly 5 succeed', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => store.reserveSend('org-concurrent', T0)));
    expect(results.filter(Boolean)).toHaveLength(5);
  });

  it("an organization's first send of a window is one write; later ones read the window first", async () => {
    const send = vi.spyOn(dynamo.doc, 'send');
    try {
      expect(await store.reserveSend('org-first-send', T0)).toBe(true);
      expect(send.mock.calls.map(([c]) => c.constructor.name)).toEqual(['PutCommand']);
      send.mockClear();
      expect(await store.reserveSend('org-first-send', T0 + 1)).toBe(true);
      expect(send.mock.calls.map(([c]) => c.constructor.name)).toEqual(['PutCommand', 'GetCommand', 'PutCommand']);
    } finally {
      send.mockRestore();
    }
  });

  it('concurrent reservations for different organizations do not limit each other', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.reserveSend(`org-many-${i % 2}`, T0)));
    expect(results.filter(Boolean)).toHaveLength(10);
  });

  it('the window slides: a send frees its slot 10 minutes after it was made', async () => {
    const org = 'org-sliding';
    for (let i = 0; i < 5; i++) expect(await store.reserveSend(org, T0 + i * 60_000)).toBe(true);
    expect(await store.reserveSend(org, T0 + 9 * 60_000)).toBe(false);
    expect(await store.reserveSend(org, T0 + CODE_POLICY.sendWindowMs - 1)).toBe(false);
    expect(await store.reserveSend(org, T0 + CODE_POLICY.sendWindowMs)).toBe(true);
    expect(await store.reserveSend(org, T0 + CODE_POLICY.sendWindowMs + 1)).toBe(false);
    expect(await store.reserveSend(org, T0 + CODE_POLICY.sendWindowMs + 60_000)).toBe(true);
  });

  it('instances whose clocks differ by a few milliseconds cannot overspend the limit together', async () => {
    const org = 'org-skewed';
    // Instance A's clock is 50 ms ahead of instance B's.
    for (let i = 0; i < 5; i++) expect(await store.reserveSend(org, T0 + 50 + i)).toBe(true);
    expect(await store.reserveSend(org, T0)).toBe(false);
    expect(await store.reserveSend(org, T0 + 60)).toBe(false);
  });

  it('a refused reservation is not counted as a send', async () => {
    const org = 'org-refused';
    for (let i = 0; i < 5; i++) await store.reserveSend(org, T0);
    for (let i = 0; i < 10; i++) expect(await store.reserveSend(org, T0 + 1_000 + i)).toBe(false);
    // Refusals did not extend the window: 10 minutes after the five sends, five more fit.
    const later = await Promise.all(Array.from({ length: 7 }, () => store.reserveSend(org, T0 + CODE_POLICY.sendWindowMs)));
    expect(later.filter(Boolean)).toHaveLength(5);
  });
});
