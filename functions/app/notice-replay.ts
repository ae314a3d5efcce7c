/**
 * Delivers notices (ticket confirmations, pages) that could not go out inline, from the durable notice
 * queue (SQS FIFO on AWS, a JSON Lines file locally). One notice per key (`confirm#<CallSid>`,
 * `page#<CallSid>`) is delivered however often a call's request was replayed:
 *
 * - the queue drops copies of a key it still holds (FIFO deduplication, the file's own check);
 * - a copy that gets past it (a replay after SQS's 5-minute window) loses a conditional write on the key
 *   in DynamoDB (`reserveInWindow` with one holder: the record's own id), so it is dropped here;
 * - a spooled ticket's confirmation first claims the call's one ticket number (the same per-call key the
 *   flow and the spool replay claim): if the call got another ticket meanwhile (a Twilio retry once
 *   DynamoDB answered), that ticket was confirmed on its own and this one is not sent.
 *
 * Confirmations wait for DynamoDB (their key is checked there); a page does not: if the key cannot be
 * checked it goes out anyway, since a page twice beats a page late.
 */
import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ConflictError, StoreUnavailableError } from '../domain/errors.js';
import type { CallStore, Log, Notice, Notifier, Pager, TicketStore } from './ports.js';

/** How long a delivered key keeps later copies out. */
export const NOTICE_KEY_WINDOW_MS = 30 * 24 * 3_600_000;

/** The one message format of the notice queue, shared by SQS and the local file. */
export interface NoticeRecord {
  v: 1;
  /** This copy's id: the holder of the key's conditional write, so a redelivered copy may deliver again. */
  id: string;
  notice: Notice;
  queuedAt: string;
}

export class NoticeRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoticeRecordError';
  }
}

export function noticeRecord(notice: Notice, now: Date, id: string = randomUUID()): NoticeRecord {
  return { v: 1, id, notice, queuedAt: now.toISOString() };
}

/** Parses one queued notice; a malformed one throws, to stay visible (dead-letter queue, `.rejected` file). */
export function parseNoticeRecord(text: string): NoticeRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new NoticeRecordError('notice record is not JSON');
  }
  const r = raw as Partial<NoticeRecord> | null;
  const n = r?.notice as Partial<Notice> | undefined;
  if (!r || r.v !== 1 || typeof r.id !== 'string' || !n || typeof n.key !== 'string' || typeof n.callSid !== 'string' || typeof n.ticket !== 'string')
    throw new NoticeRecordError('notice record is not a v1 envelope with a keyed notice');
  if (n.kind === 'confirmation') {
    const m = (n as { message?: Partial<Notice & { kind: 'confirmation' }>['message'] }).message;
    if (!m || (m.channel !== 'sms' && m.channel !== 'email') || typeof m.to !== 'string' || typeof m.body !== 'string')
      throw new NoticeRecordError('confirmation notice lacks its message');
  } else if (n.kind === 'page') {
    const p = n as { subject?: unknown; body?: unknown };
    if (typeof p.subject !== 'string' || typeof p.body !== 'string') throw new NoticeRecordError('page notice lacks subject or body');
  } else throw new NoticeRecordError('notice of unknown kind');
  return r as NoticeRecord;
}

export interface NoticeDeliveryDeps {
  notifier: Notifier;
  pager?: Pager;
  /** The key's conditional write. */
  tickets: Pick<TicketStore, 'reserveInWindow'>;
  /** The call's one ticket number, for spooled tickets' confirmations. */
  calls: Pick<CallStore, 'claimTicketNumber'>;
  now: () => Date;
  log?: Log;
}

export type DeliveryOutcome = 'sent' | 'duplicate' | 'superseded';

/** Delivers one queued notice, or says why not; throws when it should be retried (a store or provider down). */
export async function deliverNotice(record: NoticeRecord, deps: NoticeDeliveryDeps): Promise<DeliveryOutcome> {
  const n = record.notice;
  if (n.kind === 'confirmation' && n.spooled) {
    try {
      const number = await deps.calls.claimTicketNumber(n.callSid, n.ticket);
      if (number !== n.ticket) return 'superseded';
    } catch (e) {
      // The call's state has expired: no other ticket of the call can be opened any more.
      if (!(e instanceof ConflictError)) throw e;
    }
  }
  let first: boolean;
  try {
    first = await deps.tickets.reserveInWindow(`notice#${n.key}`, record.id, 1, NOTICE_KEY_WINDOW_MS, deps.now().getTime());
  } catch (e) {
    if (!(e instanceof StoreUnavailableError) || n.kind !== 'page') throw e;
    deps.log?.('warn', 'page sent unchecked: store unavailable', { key: n.key });
    first = true;
  }
  if (!first) return 'duplicate';
  if (n.kind === 'confirmation') await deps.notifier.send(n.message);
  else {
    if (!deps.pager) throw new Error('a page is queued but no pager is configured');
    await deps.pager.page(n.subject, n.body);
  }
  return 'sent';
}

/**
 * The SQS consumer, failures reported per message (partial batch response). The queue is FIFO: after the
 * first failure the rest of the batch is handed back unprocessed, as AWS asks of FIFO consumers.
 */
export function noticeReplayHandler(deps: NoticeDeliveryDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    for (const message of event.Records ?? []) {
      if (failures.length) {
        failures.push({ itemIdentifier: message.messageId });
        continue;
      }
      try {
        const record = parseNoticeRecord(message.body);
        const outcome = await deliverNotice(record, deps);
        deps.log?.('info', 'notice delivered', { messageId: message.messageId, key: record.notice.key, outcome });
      } catch (e) {
        deps.log?.('error', 'notice not delivered', { messageId: message.messageId, error: e instanceof Error ? e.message : String(e) });
        failures.push({ itemIdentifier: message.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}
