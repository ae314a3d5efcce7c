/**
 * Admission control for the local server's webhooks. On Lambda every instance serves one request at a
 * time, and each request's time budget (functions/app/time-budget.ts, the SDK's per-call budget) assumes
 * the CPU is its own. The local server is one Node process: admitting 2,000 simultaneous webhooks at once
 * made every one of them wait for the CPU until its store budget ran out ("our systems are busy"). Here at
 * most `limit` requests run at once; the others wait, first in first out, and a request's work (and so its
 * budget) starts only when it is admitted.
 *
 * Two lanes: requests that already waited their turn (held and come back, see hold.ts) go before new
 * ones, oldest first by when they first arrived, however often they were held: a held request re-entering
 * at the back of its lane could be held again and again while luckier ones pass (measured: some steps
 * held 28 times in a row). A wait may be bounded
 * (`maxWaitMs`): the caller is then told it was not admitted and the work never runs, so the server can
 * answer before Twilio gives up on the webhook. Nothing is dropped silently.
 */

/** The timers the waits use; tests pass a fake clock. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const REAL_TIMERS: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface AdmitOptions {
  /**
   * When this request first arrived (any clock, the same for all): it comes back after a hold, and goes
   * before every request of the normal lane and every returning request that arrived after it.
   */
  since?: number;
  /** Give up waiting after this long: the work does not run, `tryRun` answers `{ admitted: false }`. */
  maxWaitMs?: number;
}

/** Waiting requests of one lane, oldest first; a head index instead of `shift()`, which is O(n) on a long queue. */
class Lane {
  private items: Array<(() => void) | undefined> = [];
  private head = 0;

  push(admit: () => void): number {
    this.items.push(admit);
    return this.items.length - 1 + this.offset;
  }

  /** Removes a waiter that gave up; `at` is what `push` returned. */
  cancel(at: number): void {
    const i = at - this.offset;
    if (i >= this.head && i < this.items.length) this.items[i] = undefined;
  }

  /** The oldest waiter still waiting, taken off the lane. */
  take(): (() => void) | undefined {
    while (this.head < this.items.length) {
      const next = this.items[this.head];
      this.items[this.head++] = undefined;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.offset += this.head;
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      if (next) return next;
    }
    return undefined;
  }

  /** Positions handed out so far that compaction dropped from `items`: keeps `push`'s answers stable. */
  private offset = 0;
}

/** Returning requests, oldest first arrival first: a binary heap; one that gave up is skipped when taken. */
class OldestFirst {
  private heap: Array<{ since: number; seq: number; admit?: () => void }> = [];
  private seq = 0;

  push(since: number, admit: () => void): { admit?: () => void } {
    const entry = { since, seq: this.seq++, admit };
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!this.before(h[i]!, h[up]!)) break;
      [h[i], h[up]] = [h[up]!, h[i]!];
      i = up;
    }
    return entry;
  }

  take(): (() => void) | undefined {
    while (this.heap.length) {
      const top = this.heap[0]!;
      const last = this.heap.pop()!;
      if (this.heap.length) {
        this.heap[0] = last;
        this.sink(0);
      }
      if (top.admit) return top.admit;
    }
    return undefined;
  }

  private sink(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }

  private before(a: { since: number; seq: number }, b: { since: number; seq: number }): boolean {
    return a.since < b.since || (a.since === b.since && a.seq < b.seq);
  }
}

export class Admission {
  private running = 0;
  private waitingNow = 0;
  private peak = 0;
  private readonly front = new OldestFirst();
  private readonly normal = new Lane();

  constructor(
    readonly limit: number,
    private readonly timers: Timers = REAL_TIMERS,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`admission limit must be a positive integer, got ${limit}`);
  }

  /** Runs `work` once fewer than `limit` others are running, after every request that came before it. */
  async run<T>(work: () => Promise<T>, opts: Omit<AdmitOptions, 'maxWaitMs'> = {}): Promise<T> {
    await this.admit(opts);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** As `run`, but waits at most `maxWaitMs`: past that the work never runs and the answer says so. */
  async tryRun<T>(work: () => Promise<T>, opts: AdmitOptions): Promise<{ admitted: true; value: T } | { admitted: false }> {
    if (!(await this.admit(opts))) return { admitted: false };
    try {
      return { admitted: true, value: await work() };
    } finally {
      this.release();
    }
  }

  /** Requests running now, waiting now, and the most that ever waited at once. */
  get stats(): { running: number; waiting: number; peakWaiting: number } {
    return { running: this.running, waiting: this.waitingNow, peakWaiting: this.peak };
  }

  /** True once admitted (the slot is the caller's until `release`), false if it gave up waiting. */
  private admit(opts: AdmitOptions): Promise<boolean> {
    // A free slot exists only while nobody waits: a freed slot passes straight to the next waiting request.
    if (this.running < this.limit) {
      this.running++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      let timer: unknown;
      const admitted = () => {
        if (timer !== undefined) this.timers.clear(timer);
        this.waitingNow--;
        resolve(true);
      };
      let cancel: () => void;
      if (opts.since !== undefined) {
        const entry = this.front.push(opts.since, admitted);
        cancel = () => void (entry.admit = undefined);
      } else {
        const at = this.normal.push(admitted);
        cancel = () => this.normal.cancel(at);
      }
      this.waitingNow++;
      this.peak = Math.max(this.peak, this.waitingNow);
      if (opts.maxWaitMs !== undefined) {
        timer = this.timers.set(() => {
          cancel();
          this.waitingNow--;
          resolve(false);
        }, opts.maxWaitMs);
      }
    });
  }

  private release(): void {
    const next = this.front.take() ?? this.normal.take();
    // The slot passes to the oldest waiting request (`running` stays as it is), or is freed.
    if (next) next();
    else this.running--;
  }
}
