/**
 * The notice queue in local mode: a JSON Lines file beside the outbox (`notices.jsonl`), one
 * `NoticeRecord` per line, appended whole and flushed to disk before the caller hears "a confirmation
 * will follow". A key already waiting in the file is not added again, so a call's retried requests
 * queue one notice. The local server drains it on a timer, like the ticket spool: the file is renamed
 * aside first (`.replaying`), notices that fail go back for the next drain, and a `.replaying` file left
 * by a crash (or a restart) is picked up by the next one.
 */
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Notice, NoticeQueue } from '../../app/ports.js';
import { noticeRecord, parseNoticeRecord, type NoticeRecord } from '../../app/notice-replay.js';

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

export interface NoticeDrainResult {
  /** Delivered, or found to be a duplicate or superseded: done with. */
  handled: number;
  /** Back in the file for the next drain. */
  failed: number;
  /** Not notices at all: kept in `<file>.rejected` for a person. */
  rejected: number;
}

export class FileNoticeQueue implements NoticeQueue {
  readonly file: string;
  private draining?: Promise<NoticeDrainResult>;

  constructor(
    file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.file = resolve(file);
  }

  enqueue(notice: Notice): Promise<void> {
    return exclusive(this.file, async () => {
      if ((await this.pendingKeys()).has(notice.key)) return;
      await appendDurably(this.file, JSON.stringify(noticeRecord(notice, this.now())) + '\n');
    });
  }

  /** Notices waiting (both files), for tests and the drain. */
  async pending(): Promise<NoticeRecord[]> {
    const out: NoticeRecord[] = [];
    for (const path of [`${this.file}.replaying`, this.file]) for (const line of await lines(path)) out.push(parseNoticeRecord(line));
    return out;
  }

  private async pendingKeys(): Promise<Set<string>> {
    const keys = new Set<string>();
    for (const path of [`${this.file}.replaying`, this.file]) {
      for (const line of await lines(path)) {
        try {
          keys.add(parseNoticeRecord(line).notice.key);
        } catch {
          // a bad line is the drain's to reject
        }
      }
    }
    return keys;
  }

  /** Delivers every waiting notice through `deliver`; concurrent calls share one drain. */
  drain(deliver: (record: NoticeRecord) => Promise<unknown>): Promise<NoticeDrainResult> {
    this.draining ??= this.drainOnce(deliver).finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drainOnce(deliver: (record: NoticeRecord) => Promise<unknown>): Promise<NoticeDrainResult> {
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
    const result: NoticeDrainResult = { handled: 0, failed: 0, rejected: 0 };
    if (!hasWork) return result;
    const retry: string[] = [];
    const rejected: string[] = [];
    for (const line of await lines(work)) {
      let record: NoticeRecord;
      try {
        record = parseNoticeRecord(line);
      } catch {
        rejected.push(line);
        continue;
      }
      try {
        await deliver(record);
        result.handled++;
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
