/**
 * Admission control for the local server's webhooks. On Lambda every instance serves one request at a
 * time, and each request's time budget (functions/app/time-budget.ts, the SDK's per-call budget) assumes
 * the CPU is its own. The local server is one Node process: admitting 2,000 simultaneous webhooks at once
 * made every one of them wait for the CPU until its store budget ran out ("our systems are busy"). Here at
 * most `limit` requests run at once; the others wait, first in first out, and a request's work (and so its
 * budget) starts only when it is admitted. Nothing is dropped: a request waits until its turn.
 */
export class Admission {
  private running = 0;
  /** Waiting requests, oldest first; a head index instead of `shift()`, which is O(n) on a long queue. */
  private readonly waiting: Array<(() => void) | undefined> = [];
  private head = 0;
  private peak = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`admission limit must be a positive integer, got ${limit}`);
  }

  /** Runs `work` once fewer than `limit` others are running, after every request that came before it. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.admit();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Requests running now, waiting now, and the most that ever waited at once. */
  get stats(): { running: number; waiting: number; peakWaiting: number } {
    return { running: this.running, waiting: this.waiting.length - this.head, peakWaiting: this.peak };
  }

  private admit(): Promise<void> {
    // Someone already waiting goes first, even if a slot is free right now (it is being handed over).
    if (this.running < this.limit && this.head === this.waiting.length) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.peak = Math.max(this.peak, this.waiting.length - this.head);
    });
  }

  private release(): void {
    if (this.head < this.waiting.length) {
      // The slot passes straight to the oldest waiting request: `running` stays as it is.
      const next = this.waiting[this.head];
      this.waiting[this.head++] = undefined;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      next!();
      return;
    }
    this.running--;
  }
}
