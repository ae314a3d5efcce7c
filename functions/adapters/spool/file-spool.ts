/**
 * The ticket spool in local mode: a JSON Lines file beside the outbox, one `SpoolRecord` per line. It has
 * to survive what it stands in for (the embedded DynamoDB stopping), so each record is appended whole and
 * flushed to disk before the caller hears "your request is saved".
 *
 * Draining renames the file aside first (`<file>.replaying`), so records spooled during a replay land in
 * a fresh file and are never lost or replayed half-read; records that fail to replay go back into the
 * spool. A `.replaying` file left by a crash is picked up by the next drain (replays are idempotent).
 */
import { open, readFile, rename, unlink, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { TicketSpool } from '../../app/ports.js';
import type { Ticket } from '../../domain/tickets.js';
import { parseSpoolRecord, spoolRecord, type SpoolRecord } from '../../domain/spool-record.js';

/** One chain per spool file in this process: appends and the drain's renames never interleave. */
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

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

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

export interface DrainResult {
  replayed: number;
  /** Records that failed this time and are back in the spool for the next drain. */
  failed: number;
  /** Lines that are not spool records at all, kept in `<file>.rejected` for a person. */
  rejected: number;
}

export class FileTicketSpool implements TicketSpool {
  readonly file: string;
  private draining?: Promise<DrainResult>;

  constructor(
    file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.file = resolve(file);
  }

  save(ticket: Ticket): Promise<void> {
    const line = JSON.stringify(spoolRecord(ticket, this.now())) + '\n';
    return exclusive(this.file, () => appendDurably(this.file, line));
  }

  /** Records currently waiting in the spool (both files), for tests and the bench. */
  async pending(): Promise<SpoolRecord[]> {
    const out: SpoolRecord[] = [];
    for (const path of [`${this.file}.replaying`, this.file]) {
      const text = await readFile(path, 'utf8').catch(() => '');
      for (const line of text.split('\n')) if (line.trim()) out.push(parseSpoolRecord(line));
    }
    return out;
  }

  /** Replays every waiting record through `replay`; concurrent calls share one drain. */
  drain(replay: (record: SpoolRecord) => Promise<unknown>): Promise<DrainResult> {
    this.draining ??= this.drainOnce(replay).finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drainOnce(replay: (record: SpoolRecord) => Promise<unknown>): Promise<DrainResult> {
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
    const result: DrainResult = { replayed: 0, failed: 0, rejected: 0 };
    if (!hasWork) return result;
    const retry: string[] = [];
    const rejected: string[] = [];
    for (const line of (await readFile(work, 'utf8')).split('\n')) {
      if (!line.trim()) continue;
      let record: SpoolRecord;
      try {
        record = parseSpoolRecord(line);
      } catch {
        rejected.push(line);
        continue;
      }
      try {
        await replay(record);
        result.replayed++;
      } catch {
        retry.push(line);
      }
    }
    await exclusive(this.file, async () => {
      if (retry.length) await appendDurably(this.file, retry.map((l) => l + '\n').join(''));
      if (rejected.length) await appendDurably(`${this.file}.rejected`, rejected.map((l) => l + '\n').join(''));
      await unlink(work);
    });
    result.failed = retry.length;
    result.rejected = rejected.length;
    return result;
  }
}
