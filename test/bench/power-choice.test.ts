/** The memory sweep's choice (bench/power.ts): the cheapest size within the limits, and when a deployment may keep one size up. */
import { describe, expect, it } from 'vitest';
import { acceptedSizes, choose, type PowerRow } from '../../bench/power.js';

const row = (memoryMb: number, coldMs: number, warmP99Ms: number, costPerMillion = memoryMb / 1000): PowerRow => ({
  memoryMb,
  coldMs,
  warmP99Ms,
  warmP50Ms: warmP99Ms / 4,
  costPerMillion,
});

describe('choose and acceptedSizes', () => {
  it('chooses the cheapest size within every limit; a size clear of the limits is the only one a deployment may keep', () => {
    const rows = [row(256, 1900, 120), row(512, 700, 60), row(768, 470, 40)];
    expect(choose(rows, 80, true).mb).toBe(512);
    expect(acceptedSizes(rows, 512, true)).toEqual([512]);
  });

  it('a choice within 10 % of the cold-start or p99 limit may be kept one size up (run-to-run noise flips it)', () => {
    const coldEdge = [row(256, 1900, 120), row(512, 950, 60), row(768, 630, 40)];
    expect(choose(coldEdge, 80, true).mb).toBe(512);
    expect(acceptedSizes(coldEdge, 512, true)).toEqual([512, 768]);
    const p99Edge = [row(512, 700, 230), row(768, 470, 150)];
    expect(acceptedSizes(p99Edge, 512, true)).toEqual([512, 768]);
    // Cold-only functions have no p99 to be near; the largest size has nothing above it.
    expect(acceptedSizes([row(512, 700, Number.NaN), row(768, 470, Number.NaN)], 512, false)).toEqual([512]);
    expect(acceptedSizes(p99Edge, 768, true)).toEqual([768]);
  });
});
