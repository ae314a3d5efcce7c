/**
 * The local server's admission of webhooks (local/admission.ts): at most `limit` run at once, the others
 * wait and are admitted first in first out, none is dropped, and a failure frees its slot. Work here is
 * a promise the test resolves by hand, so nothing depends on the clock or the machine's speed.
 */
import { describe, expect, it } from 'vitest';
import { Admission } from '../../local/admission.js';

/** A unit of work that starts when admitted and ends when the test says so. */
function gate<T = string>(): { started: boolean; work: () => Promise<T>; finish: (v: T) => void; fail: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const done = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const g = {
    started: false,
    work: () => {
      g.started = true;
      return done;
    },
    finish: (v: T) => resolve(v),
    fail: (e: Error) => reject(e),
  };
  return g;
}

/** Lets every settled promise's continuation run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Admission', () => {
  it('runs at most `limit` at once, admits the rest in arrival order, and answers every one', async () => {
    const admission = new Admission(3);
    const gates = Array.from({ length: 10 }, () => gate());
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const results = gates.map((g, i) =>
      admission.run(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        try {
          return await g.work();
        } finally {
          running--;
        }
      }),
    );
    await settle();
    expect(started).toEqual([0, 1, 2]);
    expect(admission.stats).toEqual({ running: 3, waiting: 7, peakWaiting: 7 });
    // Finish out of order: each freed slot goes to the oldest waiting request.
    gates[1]!.finish('r1');
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    gates[0]!.finish('r0');
    gates[3]!.finish('r3');
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    for (const [i, g] of gates.entries()) if (![0, 1, 3].includes(i)) g.finish(`r${i}`);
    // Later ones finish as they are admitted (their gates are already open).
    expect(await Promise.all(results)).toEqual(gates.map((_, i) => `r${i}`));
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
    expect(admission.stats).toEqual({ running: 0, waiting: 0, peakWaiting: 7 });
  });

  it('a request that fails frees its slot for the next, and its caller gets the error', async () => {
    const admission = new Admission(1);
    const a = gate();
    const b = gate();
    const first = admission.run(a.work);
    const second = admission.run(b.work);
    await settle();
    expect([a.started, b.started]).toEqual([true, false]);
    a.fail(new Error('store down'));
    await expect(first).rejects.toThrow('store down');
    await settle();
    expect(b.started).toBe(true);
    b.finish('ok');
    expect(await second).toBe('ok');
    expect(admission.stats.running).toBe(0);
  });

  it('a newcomer does not overtake those already waiting when a slot frees', async () => {
    const admission = new Admission(1);
    const order: string[] = [];
    const a = gate();
    const runA = admission.run(a.work);
    const b = admission.run(async () => void order.push('b'));
    a.finish('a');
    await runA;
    // Arrives once a's slot was handed to b, whether or not b has run yet.
    const c = admission.run(async () => void order.push('c'));
    await Promise.all([b, c]);
    expect(order).toEqual(['b', 'c']);
  });

  it('thousands waiting are all admitted, in order, through the compacted queue', async () => {
    const admission = new Admission(2);
    const order: number[] = [];
    const first = gate();
    const second = gate();
    const held = [admission.run(first.work), admission.run(second.work)];
    const queued = Array.from({ length: 5_000 }, (_, i) => admission.run(async () => void order.push(i)));
    expect(admission.stats.waiting).toBe(5_000);
    first.finish('');
    second.finish('');
    await Promise.all([...held, ...queued]);
    expect(order).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
    expect(admission.stats).toEqual({ running: 0, waiting: 0, peakWaiting: 5_000 });
  });

  it('refuses a limit that would admit nothing', () => {
    expect(() => new Admission(0)).toThrow(RangeError);
    expect(() => new Admission(1.5)).toThrow(RangeError);
  });
});
