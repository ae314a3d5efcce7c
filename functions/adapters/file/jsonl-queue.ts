/**
 * A durable queue in one JSON Lines file, for local mode's stand-ins of SQS (the ticket spool, the notice
 * queue). It has to survive what it stands in for, so each record is appended whole and flushed to disk
 * before the caller is told it is kept.
 *
 * Draining renames the file aside first (`<file>.replaying`), so records added during a drain land in a
 * fresh file and are never lost or read half-written; records whose handling fails go back for the next
 * drain, and lines that are not records at all go to `<file>.rejected` for a person. A `.replaying` file
 * left by a crash or a restart is picked up by the next drain (handlers are idempotent).
 */
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** One chain per file in this process: appends and the drain's renames never interleave. */
const chains = new Map<string, Promise<unknown>>();

function exclusive<T>(path: string, work: () => Promise<T>): Promise<T> {
  const run = (chains.get(path) ?? Promise.resolve()).then(work);
  const tail = run.catch(() => undefined);
  chains.set(path, tail);
  void tail.then(() => {
    if (chains.get(path) === tail) chains.delete(path);
  });
  return run;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

async function appendDurably(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const fh = await open(path, 'a');
  try {
    await fh.appendFile(text, 'utf8');
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

async function lines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.trim());
}

export interface JsonlDrainResult {
  /** Handled: done with. */
  done: number;
  /** Back in the file for the next drain. */
  failed: number;
  /** Not records at all: kept in `<file>.rejected`. */
  rejected: number;
}

export class JsonlQueue<R> {
  readonly file: string;
  private draining?: Promise<JsonlDrainResult>;

  /** `parse` throws on a line that is not a record. */
  constructor(
    file: string,
    private readonly parse: (line: string) => R,
  ) {
    this.file = resolve(file);
  }

  /** Appends `record` durably, unless `skip` says one of the records waiting makes it redundant. */
  append(record: unknown, skip?: (waiting: R[]) => boolean): Promise<void> {
    return exclusive(this.file, async () => {
      if (skip?.(await this.waiting(false))) return;
      await appendDurably(this.file, `${JSON.stringify(record)}\n`);
    });
  }

  /**
   * Records waiting in both files; a line that is not a record throws. Read between a drain's moves, never
   * across one: read between the rename and the read of the other file, a record would be in neither.
   */
  pending(): Promise<R[]> {
    return exclusive(this.file, () => this.waiting(true));
  }

  private async waiting(strict: boolean): Promise<R[]> {
    const out: R[] = [];
    for (const path of [`${this.file}.replaying`, this.file]) {
      for (const line of await lines(path)) {
        try {
          out.push(this.parse(line));
        } catch (e) {
          if (strict) throw e; // otherwise a bad line is the drain's to reject
        }
      }
    }
    return out;
  }

  /** Hands every waiting record to `handle`; concurrent calls share one drain. */
  drain(handle: (record: R) => Promise<unknown>): Promise<JsonlDrainResult> {
    this.draining ??= this.drainOnce(handle).finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drainOnce(handle: (record: R) => Promise<unknown>): Promise<JsonlDrainResult> {
    const work = `${this.file}.replaying`;
    const hasWork = await exclusive(this.file, async () => {
      const leftover = await exists(work);
      const fresh = await exists(this.file);
      if (!leftover && !fresh) return false;
      if (!leftover) await rename(this.file, work);
      else if (fresh) {
        await appendDurably(work, await readFile(this.file, 'utf8'));
        await unlink(this.file);
      }
      return true;
    });
    const result: JsonlDrainResult = { done: 0, failed: 0, rejected: 0 };
    if (!hasWork) return result;
    const retry: string[] = [];
    const rejected: string[] = [];
    for (const line of await lines(work)) {
      let record: R;
      try {
        record = this.parse(line);
      } catch {
        rejected.push(line);
        continue;
      }
      try {
        await handle(record);
        result.done++;
      } catch {
        retry.push(line);
      }
    }
    await exclusive(this.file, async () => {
      if (retry.length) await appendDurably(this.file, retry.map((l) => `${l}\n`).join(''));
      if (rejected.length) await appendDurably(`${this.file}.rejected`, rejected.map((l) => `${l}\n`).join(''));
      await unlink(work);
    });
    result.failed = retry.length;
    result.rejected = rejected.length;
    return result;
  }
}
