/**
 * The local server's admission of webhooks (local/admission.ts): at most `limit` run at once, the others
 * wait and are admitted first in first out (requests back from a hold first, by first arrival), none is dropped, a failure
 * frees its slot, and a bounded wait gives up without running its work. Work here is a promise the test
 * resolves by hand and time a fake clock, so nothing depends on the real clock or the machine's speed.
 */
import { describe, expect, it } from 'vitest';
import { Admission, type Timers } from '../../local/admission.js';

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

/** A clock the test moves: timers fire only on `advance`. */
function fakeTimers(): Timers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  return {
    set: (fn, ms) => {
      timers.set(next, { at: now + ms, fn });
      return next++;
    },
    clear: (handle) => void timers.delete(handle as number),
    advance(ms) {
      now += ms;
      for (const [id, t] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at > now) break;
        timers.delete(id);
        t.fn();
      }
    },
    pending: () => timers.size,
  };
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

  it('requests coming back after a hold go before every new one, the earliest first arrival first, whatever order they came back in', async () => {
    const admission = new Admission(1);
    const order: string[] = [];
    const busy = gate();
    const holding = admission.run(busy.work);
    const runs = [
      admission.run(async () => void order.push('new 1')),
      admission.run(async () => void order.push('back, first came at 20'), { since: 20 }),
      admission.run(async () => void order.push('new 2')),
      admission.run(async () => void order.push('back, first came at 10'), { since: 10 }),
      admission.run(async () => void order.push('back, also at 20'), { since: 20 }),
    ];
    busy.finish('');
    await Promise.all([holding, ...runs]);
    expect(order).toEqual(['back, first came at 10', 'back, first came at 20', 'back, also at 20', 'new 1', 'new 2']);
  });

  it('a returning request that gives up waiting leaves the lane to the next oldest', async () => {
    const clock = fakeTimers();
    const admission = new Admission(1, clock);
    const busy = gate();
    const holding = admission.run(busy.work);
    const order: string[] = [];
    const gaveUp = admission.tryRun(async () => void order.push('oldest'), { since: 1, maxWaitMs: 5 });
    const next = admission.tryRun(async () => void order.push('next'), { since: 2, maxWaitMs: 50 });
    clock.advance(5);
    expect(await gaveUp).toEqual({ admitted: false });
    busy.finish('');
    await holding;
    expect(await next).toEqual({ admitted: true, value: undefined });
    expect(order).toEqual(['next']);
  });

  it('a bounded wait gives up at its time, never runs its work, and leaves its place to the next', async () => {
    const clock = fakeTimers();
    const admission = new Admission(1, clock);
    const busy = gate();
    const holding = admission.run(busy.work);
    let ranImpatient = false;
    const impatient = admission.tryRun(
      async () => {
        ranImpatient = true;
        return 'late';
      },
      { maxWaitMs: 10_000 },
    );
    const patient = gate();
    const waiting = admission.tryRun(patient.work, { maxWaitMs: 20_000 });
    clock.advance(9_999);
    await settle();
    expect(admission.stats.waiting).toBe(2);
    clock.advance(1);
    expect(await impatient).toEqual({ admitted: false });
    expect(admission.stats.waiting).toBe(1);
    busy.finish('');
    await holding;
    await settle();
    // The freed slot went past the one that gave up, to the next still waiting.
    expect(ranImpatient).toBe(false);
    expect(patient.started).toBe(true);
    patient.finish('in time');
    expect(await waiting).toEqual({ admitted: true, value: 'in time' });
    // Admitted before its time: its timer is gone, nothing fires later.
    expect(clock.pending()).toBe(0);
    expect(admission.stats).toEqual({ running: 0, waiting: 0, peakWaiting: 2 });
  });

  it('a bounded wait with a free slot runs at once', async () => {
    const admission = new Admission(1, fakeTimers());
    expect(await admission.tryRun(async () => 'now', { maxWaitMs: 0 })).toEqual({ admitted: true, value: 'now' });
  });

  it('refuses a limit that would admit nothing', () => {
    expect(() => new Admission(0)).toThrow(RangeError);
    expect(() => new Admission(1.5)).toThrow(RangeError);
  });
});
