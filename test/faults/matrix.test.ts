/**
 * The fault table of the docs is the suite's: every row names a test that exists, and docs/benchmarks.md
 * and docs/faults-and-abuse.md carry exactly the table rendered from test/faults/matrix.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ATTACKS, FAULTS, faultTable } from './matrix.js';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('the fault and attack table', () => {
  it.each([...FAULTS, ...ATTACKS].map((r) => [r.test, r.it] as const))('%s has a test "%s…"', (test, title) => {
    expect(read(test)).toContain(title);
  });

  it('no fault of a step is listed twice', () => {
    const keys = FAULTS.map((r) => `${r.fault} @ ${r.step}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(['docs/benchmarks.md', 'docs/faults-and-abuse.md'])('%s carries the table as rendered', (doc) => {
    expect(read(doc)).toContain(faultTable());
  });
});
