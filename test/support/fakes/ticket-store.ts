/**
 * Tickets in memory, with the DynamoDB store's conditions and orders (functions/adapters/dynamodb/ticket-store.ts):
 * a counter from 1000001, put-if-absent, status moves only where `canMove` allows and only from the status
 * read, compare-and-set on status/agent/bridge/notice, the waiting and callback queues in `queueSortKey` order,
 * the `byOrg` and `byStatus` indexes' orders, and sliding-window limits on one `LIMIT#<key>` item.
 */
import type { AnnouncedTicket, TicketFilter, TicketStore } from '../../../functions/app/ports.js';
import { callbackPartition, canMove, queuePartition, queueSortKey, type Ticket, type TicketStatus } from '../../../functions/domain/tickets.js';
import { FakeTable, copy, type Item } from './table.js';

const pk = (number: string) => `TICKET#${number}`;
const FIRST_NUMBER = 1_000_000;

export class FakeTicketStore implements TicketStore {
  constructor(readonly table = new FakeTable()) {}

  async allocateNumber(): Promise<string> {
    const seq = Number(this.table.get('COUNTER', 'TICKET')?.seq ?? 0) + 1;
    this.table.put({ pk: 'COUNTER', sk: 'TICKET', seq });
    return String(FIRST_NUMBER + seq);
  }

  async putIfAbsent(ticket: Ticket): Promise<Ticket> {
    const existing = this.table.get(pk(ticket.number), 'TICKET');
    if (existing) return fromItem(existing);
    this.table.put(toItem(ticket));
    return ticket;
  }

  async get(number: string): Promise<Ticket | undefined> {
    if (!/^\d{1,12}$/.test(number)) return undefined;
    const item = this.table.get(pk(number), 'TICKET');
    return item ? fromItem(item) : undefined;
  }

  async transition(number: string, to: TicketStatus, fields: Partial<Ticket>, allowedFrom?: TicketStatus[]): Promise<Ticket | undefined> {
    const current = await this.get(number);
    if (!current) return undefined;
    if (!canMove(current.status, to) || (allowedFrom && !allowedFrom.includes(current.status))) return undefined;
    const next: Ticket = { ...current, ...fields, status: to };
    // As on DynamoDB: read, then (after a round trip, where another request may move it) write only if the
    // status is still the one read; the check and the write happen together.
    await Promise.resolve();
    if (this.table.get(pk(number), 'TICKET')?.status !== current.status) return undefined;
    this.table.put(toItem(next));
    return copy(next);
  }

  async replaceIf<T extends Ticket>(current: T, next: T): Promise<boolean> {
    const stored = this.table.get(pk(current.number), 'TICKET');
    if (!stored) return false;
    for (const field of ['status', 'agent', 'bridgedAt', 'notifiedStatus'] as const) {
      if (stored[field] !== (current as Record<string, unknown>)[field]) return false;
    }
    this.table.put(toItem(next));
    return true;
  }

  async waiting(service: string, language: string, tier: number, limit = 5): Promise<Ticket[]> {
    return this.queue(queuePartition({ service, language, tier }), limit);
  }

  async callbacks(service: string, language: string, tier: number, limit = 5): Promise<Ticket[]> {
    return this.queue(callbackPartition({ service, language, tier }), limit);
  }

  /** Waiting tickets of the ticket's partition whose queue sort key is smaller than the ticket's (as given, not as stored). */
  async waitingAhead(ticket: Ticket): Promise<number> {
    const partition = queuePartition(ticket);
    const key = queueSortKey(ticket);
    return this.tickets().filter((i) => i.queuePk === partition && String(i.queueSk) < key).length;
  }

  async countByOrgSince(org: string, sinceIso: string, priority: string): Promise<number> {
    return this.tickets().filter((i) => i.orgPk === `ORG#${org}` && String(i.orgSk) >= sinceIso && i.priority === priority).length;
  }

  /** As the `byOrg` query: the organization's tickets with `orgSk >= sinceIso`, filtered by caller and status, newest first. */
  async openFromCaller(org: string, caller: string, sinceIso: string, statuses: readonly TicketStatus[]): Promise<Ticket[]> {
    if (!caller || !statuses.length) return [];
    return this.tickets()
      .filter((i) => i.orgPk === `ORG#${org}` && String(i.orgSk) >= sinceIso && i.caller === caller && statuses.includes(i.status as TicketStatus))
      .sort(descending('orgSk'))
      .map(fromItem);
  }

  /** As the DynamoDB store's conditional update: this call's waiting ticket, not announced after `lastAtOrBefore`. */
  async markAnnounced(number: string, callSid: string, atIso: string, lastAtOrBefore?: string): Promise<AnnouncedTicket | undefined> {
    const item = /^\d{1,12}$/.test(number) ? this.table.get(pk(number), 'TICKET') : undefined;
    if (!item || item.callSid !== callSid || item.status !== 'waiting') return undefined;
    if (lastAtOrBefore !== undefined && item.announcedAt !== undefined && !(String(item.announcedAt) <= lastAtOrBefore)) return undefined;
    const next = { ...item, announcedAt: atIso };
    this.table.put(next);
    return fromItem(next);
  }

  /** As the two `byStatus` queries (in progress, closed) since `sinceIso`, merged newest first, then cut to `limit`. */
  async answeredWaits(service: string, language: string, sinceIso: string, limit: number): Promise<number[]> {
    const statuses = ['STATUS#in-progress', 'STATUS#closed'];
    return this.tickets()
      .filter(
        (i) =>
          statuses.includes(String(i.statusPk)) &&
          String(i.statusSk) >= sinceIso &&
          i.service === service &&
          i.language === language &&
          i.answeredAt !== undefined,
      )
      .sort((a, b) => String(b.statusSk).localeCompare(String(a.statusSk)))
      .slice(0, limit)
      .map((i) => (Date.parse(String(i.answeredAt)) - Date.parse(String(i.createdAt))) / 1000)
      .filter((sec) => sec >= 0);
  }

  /** The DynamoDB store's item `LIMIT#<key>`: holders and their times; a holder already counted is true again, even after its window. */
  async reserveInWindow(key: string, holder: string, max: number, windowMs: number, nowMs: number): Promise<boolean> {
    const item = this.table.get(`LIMIT#${key}`, 'LIMIT');
    const held = (item?.holders ?? {}) as Record<string, number>;
    if (held[holder] !== undefined) return true;
    const live = Object.fromEntries(Object.entries(held).filter(([, at]) => nowMs - at < windowMs));
    if (Object.keys(live).length >= max) return false;
    this.table.put({ pk: `LIMIT#${key}`, sk: 'LIMIT', holders: { ...live, [holder]: nowMs }, version: Number(item?.version ?? 0) + 1 });
    return true;
  }

  async list(filter: TicketFilter): Promise<Ticket[]> {
    const limit = Math.min(filter.limit ?? 100, 1000);
    return this.tickets()
      .map(fromItem)
      .filter(
        (t) => (!filter.org || t.org === filter.org) && (!filter.status || t.status === filter.status) && (!filter.priority || t.priority === filter.priority),
      )
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : Number(b.number) - Number(a.number)))
      .slice(0, limit);
  }

  /** One partition of the `queue` index, in sort-key order, the first `limit`. */
  private queue(partition: string, limit: number): Ticket[] {
    return this.tickets()
      .filter((i) => i.queuePk === partition)
      .sort((a, b) => (String(a.queueSk) < String(b.queueSk) ? -1 : 1))
      .slice(0, limit)
      .map(fromItem);
  }

  /** Every stored ticket (not the counter), as items with their index keys. */
  private tickets(): Item[] {
    return this.table.scan().filter((i) => i.sk === 'TICKET' && i.pk.startsWith('TICKET#'));
  }
}

/** Index order is by key bytes; ISO times, digits and `#` compare the same as JavaScript strings. */
const descending =
  (field: string) =>
  (a: Item, b: Item): number =>
    String(a[field]) < String(b[field]) ? 1 : String(a[field]) > String(b[field]) ? -1 : 0;

function toItem(t: Ticket): Item {
  const item: Item = {
    pk: pk(t.number),
    sk: 'TICKET',
    ...copy(t),
    orgPk: `ORG#${t.org}`,
    orgSk: `${t.createdAt}#${t.number}`,
    statusPk: `STATUS#${t.status}`,
    statusSk: `${t.createdAt}#${t.number}`,
  };
  if (t.status === 'waiting' || t.status === 'callback') {
    item.queuePk = t.status === 'waiting' ? queuePartition(t) : callbackPartition(t);
    item.queueSk = queueSortKey(t);
  }
  return item;
}

function fromItem(item: Item): Ticket {
  const { pk: _p, sk: _s, orgPk: _o, orgSk: _os, statusPk: _sp, statusSk: _ss, queuePk: _q, queueSk: _qs, ...t } = item;
  return t as unknown as Ticket;
}
