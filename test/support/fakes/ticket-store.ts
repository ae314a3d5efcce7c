/**
 * Tickets in memory, with the DynamoDB store's conditions and orders (functions/adapters/dynamodb/ticket-store.ts):
 * a counter from 1000001, put-if-absent, status moves only where `canMove` allows and only from the status
 * read, compare-and-set on status/agent/bridge/notice, the waiting queue in `queueSortKey` order.
 */
import type { TicketFilter, TicketStore } from '../../../functions/app/ports.js';
import { canMove, queuePartition, queueSortKey, type Ticket, type TicketStatus } from '../../../functions/domain/tickets.js';
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
    const partition = queuePartition({ service, language, tier });
    return this.tickets()
      .filter((i) => i.queuePk === partition)
      .sort((a, b) => (String(a.queueSk) < String(b.queueSk) ? -1 : 1))
      .slice(0, limit)
      .map(fromItem);
  }

  async countByOrgSince(org: string, sinceIso: string, priority: string): Promise<number> {
    return this.tickets().filter((i) => i.orgPk === `ORG#${org}` && String(i.orgSk) >= sinceIso && i.priority === priority).length;
  }

  async list(filter: TicketFilter): Promise<Ticket[]> {
    const limit = Math.min(filter.limit ?? 100, 1000);
    return this.tickets()
      .map(fromItem)
      .filter((t) => (!filter.org || t.org === filter.org) && (!filter.status || t.status === filter.status) && (!filter.priority || t.priority === filter.priority))
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : Number(b.number) - Number(a.number)))
      .slice(0, limit);
  }

  /** Every stored ticket (not the counter), as items with their index keys. */
  private tickets(): Item[] {
    return this.table.scan().filter((i) => i.sk === 'TICKET' && i.pk.startsWith('TICKET#'));
  }
}

function toItem(t: Ticket): Item {
  const item: Item = { pk: pk(t.number), sk: 'TICKET', ...copy(t), orgPk: `ORG#${t.org}`, orgSk: `${t.createdAt}#${t.number}` };
  if (t.status === 'waiting') {
    item.queuePk = queuePartition(t);
    item.queueSk = queueSortKey(t);
  }
  return item;
}

function fromItem(item: Item): Ticket {
  const { pk: _p, sk: _s, orgPk: _o, orgSk: _os, queuePk: _q, queueSk: _qs, ...t } = item;
  return t as unknown as Ticket;
}
