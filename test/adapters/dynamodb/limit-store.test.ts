/**
 * The abuse limits against a real DynamoDB engine: each admission is a conditional write, so a burst of
 * concurrent attempts from one calling number or against one organization cannot get past the limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLimitStore } from '../../../functions/adapters/dynamodb/limit-store.js';
import { CODE_FAILURE_STREAK, WINDOW_RULES } from '../../../functions/domain/abuse-limits.js';
import { startDynamo, ttlSafeNow, type EmbeddedDynamo } from '../../support/embedded-dynamo.js';

let dynamo: EmbeddedDynamo;
let store: DynamoLimitStore;
beforeAll(async () => {
  dynamo = await startDynamo();
  store = new DynamoLimitStore(dynamo.doc, dynamo.tables.calls);
});
afterAll(async () => {
  await dynamo.stop();
});

const T0 = ttlSafeNow();
let n = 0;
const number = () => `+4870000${String(++n).padStart(4, '0')}`;

describe('rolling-window limits', () => {
  it('admits 10 wrong account numbers per calling number per hour, then refuses until the hour has passed', async () => {
    const from = number();
    const results: boolean[] = [];
    for (let i = 0; i < 12; i++) results.push((await store.take('wrong-account', from, T0 + i * 240_000)).allowed);
    expect(results).toEqual([...Array(10).fill(true), false, false]);
    // 48 minutes after the first: the hour still holds the 10.
    expect((await store.take('wrong-account', from, T0 + 50 * 60_000)).allowed).toBe(false);
    // Over an hour after the first slices: room again.
    expect((await store.take('wrong-account', from, T0 + 75 * 60_000)).allowed).toBe(true);
    // Another calling number is not affected by this one.
    expect((await store.take('wrong-account', number(), T0)).allowed).toBe(true);
  });

  it('holds under 40 concurrent attempts from one number: exactly the limit is admitted', async () => {
    const from = number();
    const out = await Promise.all(Array.from({ length: 40 }, () => store.take('wrong-account', from, T0)));
    expect(out.filter((o) => o.allowed)).toHaveLength(WINDOW_RULES['wrong-account'].max);
    const sends = await Promise.all(Array.from({ length: 20 }, () => store.take('code-send-caller', from, T0)));
    expect(sends.filter((o) => o.allowed)).toHaveLength(WINDOW_RULES['code-send-caller'].max);
  });

  it('gives back an event (a right account number), so only wrong ones count', async () => {
    const from = number();
    for (let i = 0; i < 9; i++) expect((await store.take('wrong-account', from, T0)).allowed).toBe(true);
    const right = await store.take('wrong-account', from, T0);
    await store.giveBack('wrong-account', from, right.slice);
    expect((await store.take('wrong-account', from, T0)).allowed).toBe(true);
    expect((await store.take('wrong-account', from, T0)).allowed).toBe(false);
  });
});

describe('wrong code entries in a row per organization', () => {
  it('pauses at the cap, once under concurrency, refuses for an hour, then counts again', async () => {
    const org = `org-${number()}`;
    for (let i = 0; i < CODE_FAILURE_STREAK.max - 3; i++) expect((await store.codeFailed(org, T0)).paused).toBe(false);
    const burst = await Promise.all(Array.from({ length: 12 }, () => store.codeFailed(org, T0)));
    expect(burst.filter((r) => r.pausedNow)).toHaveLength(1);
    expect(burst.filter((r) => !r.paused)).toHaveLength(2);
    expect(await store.codeRun(org, T0 + 59 * 60_000)).toEqual({ pausedUntil: T0 + CODE_FAILURE_STREAK.lockMs, streak: 0 });
    expect((await store.codeFailed(org, T0 + 30 * 60_000)).paused).toBe(true);
    expect(await store.codeRun(org, T0 + CODE_FAILURE_STREAK.lockMs)).toEqual({ streak: 0 });
    expect(await store.codeFailed(org, T0 + CODE_FAILURE_STREAK.lockMs + 1)).toEqual({ streak: 1, pausedNow: false, paused: false });
  });

  it('a right code ends the run: failures are counted in a row, not in total', async () => {
    const org = `org-${number()}`;
    for (let i = 0; i < CODE_FAILURE_STREAK.max - 1; i++) await store.codeFailed(org, T0);
    expect(await store.codeRun(org, T0)).toEqual({ streak: CODE_FAILURE_STREAK.max - 1 });
    await store.codeVerified(org, T0);
    expect(await store.codeFailed(org, T0)).toEqual({ streak: 1, pausedNow: false, paused: false });
    expect(await store.codeRun(`org-${number()}`, T0)).toEqual({ streak: 0 });
  });
});
