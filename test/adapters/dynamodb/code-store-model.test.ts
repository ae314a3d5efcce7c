/**
 * Model-based: the DynamoDB code store agrees with the pure code policy (`evaluateAttempt`, `sendAllowed`)
 * on random sequences of new codes, right and wrong entries, sends and passing time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DynamoCodeStore } from '../../../functions/adapters/dynamodb/code-store.js';
import { CODE_POLICY, evaluateAttempt, sendAllowed, type CodeRecord } from '../../../functions/domain/codes.js';
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

type Event = { kind: 'new-code' } | { kind: 'enter'; right: boolean } | { kind: 'send' } | { kind: 'wait'; ms: number };

const event: fc.Arbitrary<Event> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'new-code' as const }) },
  { weight: 4, arbitrary: fc.boolean().map((right) => ({ kind: 'enter' as const, right })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'send' as const }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 6 * 60_000 }).map((ms) => ({ kind: 'wait' as const, ms })) },
);

describe('DynamoCodeStore against the pure policy', () => {
  it('agrees on every outcome and on the stored record, whatever the sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 25 }), async (events) => {
        const callSid = newCallSid();
        const org = `org-${callSid.slice(-12)}`;
        let now = ttlSafeNow(); // the items' TTL must lie in the real clock's future
        let model: CodeRecord | undefined;
        let sends: number[] = [];
        for (const e of events) {
          switch (e.kind) {
            case 'wait':
              now += e.ms;
              break;
            case 'new-code':
              model = { hash: `h-${now}`, orgId: org, channel: 'sms', sentAtMs: now, expiresAtMs: now + CODE_POLICY.ttlMs, attempts: 0, used: false };
              await store.put(callSid, model);
              break;
            case 'enter': {
              const expected = evaluateAttempt(model, e.right, now);
              const actual = await store.attempt(callSid, e.right, now);
              expect(actual).toEqual(expected.outcome);
              model = expected.next ?? model;
              expect(await store.get(callSid)).toEqual(model);
              break;
            }
            case 'send': {
              const expected = sendAllowed(sends, now);
              expect(await store.reserveSend(org, now)).toBe(expected.allowed);
              if (expected.allowed) sends = [...expected.recent, now];
              break;
            }
          }
        }
      }),
      { numRuns: 40 },
    );
    // The work is fixed, not timed: 40 sequences of at most 25 events, at most 3 store round trips each
    // (3,000 in all, about 5 s on a quiet machine). The limit allows 40 ms a round trip, what the embedded
    // DynamoDB gets with both cores busy, so a loaded machine does not fail a property that holds.
  }, 120_000);
});
