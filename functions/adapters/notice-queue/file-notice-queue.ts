/**
 * The notice queue in local mode: a JSON Lines file beside the outbox (`notices.jsonl`), one
 * `NoticeRecord` per line, kept durably (adapters/file/jsonl-queue.ts) before the caller hears "a
 * confirmation will follow". A key already waiting in the file is not added again, so a call's retried
 * requests queue one notice. The local server drains it on a timer, like the ticket spool.
 */
import type { Notice, NoticeQueue } from '../../app/ports.js';
import { noticeRecord, parseNoticeRecord, type NoticeRecord } from '../../app/notice-replay.js';
import { JsonlQueue } from '../file/jsonl-queue.js';

export interface NoticeDrainResult {
  /** Delivered, or found to be a duplicate or superseded: done with. */
  handled: number;
  /** Back in the file for the next drain. */
  failed: number;
  /** Not notices at all: kept in `<file>.rejected` for a person. */
  rejected: number;
}

export class FileNoticeQueue implements NoticeQueue {
  private readonly queue: JsonlQueue<NoticeRecord>;

  constructor(
    file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.queue = new JsonlQueue(file, parseNoticeRecord);
  }

  get file(): string {
    return this.queue.file;
  }

  enqueue(notice: Notice): Promise<void> {
    return this.queue.append(noticeRecord(notice, this.now()), (waiting) => waiting.some((r) => r.notice.key === notice.key));
  }

  /** Notices waiting (both files), for tests and the drain. */
  pending(): Promise<NoticeRecord[]> {
    return this.queue.pending();
  }

  /** Delivers every waiting notice through `deliver`; concurrent calls share one drain. */
  async drain(deliver: (record: NoticeRecord) => Promise<unknown>): Promise<NoticeDrainResult> {
    const { done, failed, rejected } = await this.queue.drain(deliver);
    return { handled: done, failed, rejected };
  }
}
