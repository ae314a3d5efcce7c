/**
 * The ticket spool in local mode: a JSON Lines file beside the outbox, one `SpoolRecord` per line, kept
 * durably (adapters/file/jsonl-queue.ts) before the caller hears "your request is saved", and replayed
 * into DynamoDB by the local server once it answers.
 */
import type { TicketSpool } from '../../app/ports.js';
import type { Ticket } from '../../domain/tickets.js';
import { parseSpoolRecord, spoolRecord, type SpoolRecord } from '../../domain/spool-record.js';
import { JsonlQueue } from '../file/jsonl-queue.js';

export interface DrainResult {
  replayed: number;
  /** Records that failed this time and are back in the spool for the next drain. */
  failed: number;
  /** Lines that are not spool records at all, kept in `<file>.rejected` for a person. */
  rejected: number;
}

export class FileTicketSpool implements TicketSpool {
  private readonly queue: JsonlQueue<SpoolRecord>;

  constructor(
    file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.queue = new JsonlQueue(file, parseSpoolRecord);
  }

  get file(): string {
    return this.queue.file;
  }

  save(ticket: Ticket): Promise<void> {
    return this.queue.append(spoolRecord(ticket, this.now()));
  }

  /** Records currently waiting in the spool (both files), for tests and the bench. */
  pending(): Promise<SpoolRecord[]> {
    return this.queue.pending();
  }

  /** Replays every waiting record through `replay`; concurrent calls share one drain. */
  async drain(replay: (record: SpoolRecord) => Promise<unknown>): Promise<DrainResult> {
    const { done, failed, rejected } = await this.queue.drain(replay);
    return { replayed: done, failed, rejected };
  }
}
