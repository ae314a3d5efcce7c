/**
 * The notice consumer (functions/app/notice-replay.ts) on the in-memory stores: one delivery per key, a
 * spooled ticket's confirmation only while the call's ticket is that reference, pages never held back by
 * DynamoDB, and the SQS handler's partial batch failures (FIFO: the rest of a batch after a failure is
 * handed back).
 */
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { deliverNotice, noticeRecord, noticeReplayHandler, type NoticeDeliveryDeps } from '../../../functions/app/notice-replay.js';
import type { CallStore, OutgoingMessage } from '../../../functions/app/ports.js';
import { ConflictError, DeliveryFailedError, StoreUnavailableError } from '../../../functions/domain/errors.js';
import { FakeTicketStore } from '../../support/fakes/index.js';
import { CALL, confirmation, OTHER_CALL, page } from './fixtures.js';

const NOW = new Date('2026-05-13T15:00:00Z');

/** The calls table's one ticket number per call: the first claim wins; an unknown call is a ConflictError. */
function callNumbers(known: Record<string, string | undefined>): Pick<CallStore, 'claimTicketNumber'> {
  return {
    claimTicketNumber: async (callSid, candidate) => {
      if (!(callSid in known)) throw new ConflictError('claim ticket number: condition failed');
      known[callSid] ??= candidate;
      return known[callSid]!;
    },
  };
}

function world(o: { known?: Record<string, string | undefined>; failSend?: boolean; storeDown?: boolean } = {}) {
  const sent: OutgoingMessage[] = [];
  const pages: string[] = [];
  const tickets = new FakeTicketStore();
  const deps: NoticeDeliveryDeps = {
    notifier: {
      send: async (m) => {
        if (o.failSend) throw new DeliveryFailedError('sms down', 'sms');
        sent.push(m);
      },
    },
    pager: { page: async (subject) => void pages.push(subject) },
    tickets: o.storeDown
      ? {
          reserveInWindow: async () => {
            throw new StoreUnavailableError('down');
          },
        }
      : tickets,
    calls: callNumbers(o.known ?? { [CALL]: undefined, [OTHER_CALL]: undefined }),
    now: () => NOW,
  };
  return { deps, sent, pages };
}

describe('deliverNotice', () => {
  it('delivers one confirmation per key: a second copy (another retry of the call) is a duplicate', async () => {
    const { deps, sent } = world();
    expect(await deliverNotice(noticeRecord(confirmation(), NOW), deps)).toBe('sent');
    expect(await deliverNotice(noticeRecord(confirmation(), NOW), deps)).toBe('duplicate');
    expect(await deliverNotice(noticeRecord(confirmation(OTHER_CALL), NOW), deps)).toBe('sent');
    expect(sent.map((m) => m.body)).toEqual(['Ticket 912345678 opened.', 'Ticket 912345678 opened.']);
  });

  it('the same copy redelivered after a failed send is sent (its id holds the key)', async () => {
    const failing = world({ failSend: true });
    const record = noticeRecord(confirmation(), NOW);
    await expect(deliverNotice(record, failing.deps)).rejects.toBeInstanceOf(DeliveryFailedError);
    const { deps, sent } = world();
    deps.tickets = failing.deps.tickets;
    expect(await deliverNotice(record, deps)).toBe('sent');
    expect(await deliverNotice(noticeRecord(confirmation(), NOW), deps)).toBe('duplicate');
    expect(sent).toHaveLength(1);
  });

  it("a spooled ticket's confirmation claims the call's ticket number; a call that got another ticket is not confirmed twice", async () => {
    const known: Record<string, string | undefined> = { [CALL]: '1000042', [OTHER_CALL]: undefined };
    const { deps, sent } = world({ known });
    expect(await deliverNotice(noticeRecord(confirmation(CALL), NOW), deps)).toBe('superseded');
    expect(await deliverNotice(noticeRecord(confirmation(OTHER_CALL), NOW), deps)).toBe('sent');
    expect(known[OTHER_CALL]).toBe('912345678');
    expect(sent).toHaveLength(1);
  });

  it("a call whose state has expired still gets its spooled ticket's confirmation", async () => {
    const { deps, sent } = world({ known: {} });
    expect(await deliverNotice(noticeRecord(confirmation(), NOW), deps)).toBe('sent');
    expect(sent).toHaveLength(1);
  });

  it('with DynamoDB down a confirmation waits (throws to be retried) but a page goes out', async () => {
    const { deps, sent, pages } = world({ storeDown: true, known: {} });
    await expect(deliverNotice(noticeRecord(confirmation(CALL, { spooled: false }), NOW), deps)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await deliverNotice(noticeRecord(page(), NOW), deps)).toBe('sent');
    expect(sent).toEqual([]);
    expect(pages).toEqual(['P1 ticket 912345678']);
  });
});

describe('noticeReplayHandler (SQS FIFO)', () => {
  const event = (bodies: string[]): SQSEvent => ({ Records: bodies.map((body, i) => ({ messageId: `m-${i}`, body })) }) as unknown as SQSEvent;

  it('reports a failed message and the rest of its batch, and delivers what came before', async () => {
    const { deps, sent, pages } = world();
    deps.pager = {
      page: async () => {
        throw new Error('SNS down');
      },
    };
    const handler = noticeReplayHandler(deps);
    const out = await handler(
      event([
        JSON.stringify(noticeRecord(confirmation(), NOW)),
        JSON.stringify(noticeRecord(page(), NOW)),
        JSON.stringify(noticeRecord(confirmation(OTHER_CALL), NOW)),
      ]),
    );
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }]);
    expect(sent).toHaveLength(1);
    expect(pages).toEqual([]);
  });

  it('a body that is not a notice fails (to the dead-letter queue), never delivered half-formed', async () => {
    const { deps, sent } = world();
    const out = await noticeReplayHandler(deps)(event(['{"v":1,"id":"x","notice":{"kind":"confirmation"}}']));
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }]);
    expect(sent).toEqual([]);
  });
});
