/**
 * The per-instance minute of answered waits behind the waiting caller's estimate (caller-flow/recent-waits.ts):
 * one read per service and language per minute, shared by concurrent announcements, never kept when it
 * cannot make an estimate or failed, and never shared between two stores (two instances, two tests).
 */
import { describe, expect, it } from 'vitest';
import { RECENT_WAITS_TTL_MS, recentAnsweredWaits, type WaitsQuery } from '../../functions/app/caller-flow/recent-waits.js';
import { StoreUnavailableError } from '../../functions/domain/errors.js';

const T0 = Date.parse('2026-05-13T15:00:00.000Z');
const query = (over: Partial<WaitsQuery> = {}): WaitsQuery => ({
  service: 'technical',
  language: 'en-US',
  windowMs: 7_200_000,
  samples: 20,
  minSamples: 3,
  ...over,
});

/** A store whose answers the test sets, counting reads and keeping each read's arguments. */
function countingStore(answer: () => Promise<number[]>) {
  const reads: Array<{ service: string; language: string; sinceIso: string; limit: number }> = [];
  return {
    reads,
    answeredWaits: (service: string, language: string, sinceIso: string, limit: number) => {
      reads.push({ service, language, sinceIso, limit });
      return answer();
    },
  };
}

describe('recent answered waits', () => {
  it('one read per service and language within a minute, read again after it', async () => {
    const store = countingStore(async () => [60, 90, 120]);
    expect(await recentAnsweredWaits(store, query(), T0)).toEqual([60, 90, 120]);
    expect(store.reads).toEqual([{ service: 'technical', language: 'en-US', sinceIso: new Date(T0 - 7_200_000).toISOString(), limit: 20 }]);
    expect(await recentAnsweredWaits(store, query(), T0 + RECENT_WAITS_TTL_MS - 1)).toEqual([60, 90, 120]);
    expect(store.reads).toHaveLength(1);
    // Another language or service is its own entry.
    await recentAnsweredWaits(store, query({ language: 'pl-PL' }), T0 + 1);
    await recentAnsweredWaits(store, query({ service: 'billing' }), T0 + 1);
    expect(store.reads).toHaveLength(3);
    await recentAnsweredWaits(store, query(), T0 + RECENT_WAITS_TTL_MS);
    expect(store.reads).toHaveLength(4);
    expect(store.reads[3]!.sinceIso).toBe(new Date(T0 + RECENT_WAITS_TTL_MS - 7_200_000).toISOString());
    // A clock behind the entry's read (another instance's now) reads again.
    await recentAnsweredWaits(store, query(), T0);
    expect(store.reads).toHaveLength(5);
  });

  it('concurrent announcements share one read', async () => {
    let release!: (w: number[]) => void;
    const store = countingStore(() => new Promise((r) => (release = r)));
    const all = Promise.all(Array.from({ length: 5 }, (_, i) => recentAnsweredWaits(store, query(), T0 + i)));
    release([30, 40, 50, 60]);
    expect(await all).toEqual(Array.from({ length: 5 }, () => [30, 40, 50, 60]));
    expect(store.reads).toHaveLength(1);
  });

  it('too few waits for an estimate, or a failed read, are not kept: the next announcement reads again', async () => {
    let answer: () => Promise<number[]> = async () => [60, 90];
    const store = countingStore(() => answer());
    expect(await recentAnsweredWaits(store, query(), T0)).toEqual([60, 90]);
    answer = async () => {
      throw new StoreUnavailableError('down');
    };
    await expect(recentAnsweredWaits(store, query(), T0 + 1)).rejects.toBeInstanceOf(StoreUnavailableError);
    answer = async () => [60, 90, 100];
    expect(await recentAnsweredWaits(store, query(), T0 + 2)).toEqual([60, 90, 100]);
    expect(await recentAnsweredWaits(store, query(), T0 + 3)).toEqual([60, 90, 100]);
    expect(store.reads).toHaveLength(3);
  });

  it('two stores (two instances) never see each other’s entries', async () => {
    const a = countingStore(async () => [10, 20, 30]);
    const b = countingStore(async () => [70, 80, 90]);
    expect(await recentAnsweredWaits(a, query(), T0)).toEqual([10, 20, 30]);
    expect(await recentAnsweredWaits(b, query(), T0)).toEqual([70, 80, 90]);
    expect(a.reads).toHaveLength(1);
    expect(b.reads).toHaveLength(1);
  });
});
