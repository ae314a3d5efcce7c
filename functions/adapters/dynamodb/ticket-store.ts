/**
 * Tickets in the `tickets` table (`TICKET#<number>` / `TICKET`), with three indexes (tables.ts): the
 * sparse `queue` index holds only waiting tickets, sorted for the agents' line; `byOrg` and `byStatus`
 * serve fair use and the ticket API. Numbers come from an atomic counter, so they are short and unique
 * across all lines; a call claims its number on its own state item first, so a retried or concurrent
 * request can never open a second ticket for the same call.
 */
import { GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { callbackPartition, canMove, queuePartition, queueSortKey, type Ticket, type TicketStatus } from '../../domain/tickets.js';
import type { AnnouncedTicket, TicketFilter, TicketStore } from '../../app/ports.js';
import { ConflictError, StoreUnavailableError } from '../../domain/errors.js';
import { dynamo, isConditionFailed, mapDynamoError, writeIf } from './errors.js';

const ticketKey = (number: string) => ({ pk: `TICKET#${number}`, sk: 'TICKET' });
/** First ticket number: 7 digits, so a ticket number is never mistaken for a 6-digit code. */
const FIRST_NUMBER = 1_000_000;

export type { TicketFilter };

/** Every status (a record, so a new status does not compile until it is listed here). */
const STATUSES = Object.keys({ waiting: 1, callback: 1, 'in-progress': 1, abandoned: 1, closed: 1 } satisfies Record<TicketStatus, 1>) as TicketStatus[];
/** Ticket fields the stored item's keys and index keys are made of (toItem): a move that sets one writes the whole item. */
const INDEX_INPUTS = new Set(['number', 'org', 'createdAt', 'service', 'language', 'tier', 'priorityRank', 'priorityQueue']);

export class DynamoTicketStore implements TicketStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The next ticket number (atomic counter). */
  async allocateNumber(): Promise<string> {
    const out = await dynamo('allocate ticket number', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: 'COUNTER', sk: 'TICKET' },
          UpdateExpression: 'ADD seq :one',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    return String(FIRST_NUMBER + Number(out.Attributes?.seq ?? 0));
  }

  /** Writes the ticket unless it exists (a retry); returns the stored ticket either way. */
  async putIfAbsent(ticket: Ticket): Promise<Ticket> {
    const written = await writeIf('put ticket', () =>
      this.doc.send(new PutCommand({ TableName: this.table, Item: toItem(ticket), ConditionExpression: 'attribute_not_exists(pk)' })),
    );
    if (written) return ticket;
    const existing = await this.get(ticket.number);
    if (!existing) throw new ConflictError('put ticket: condition failed');
    return existing;
  }

  async get(number: string): Promise<Ticket | undefined> {
    if (!/^\d{1,12}$/.test(number)) return undefined;
    const out = await dynamo('get ticket', () => this.doc.send(new GetCommand({ TableName: this.table, Key: ticketKey(number), ConsistentRead: true })));
    return out.Item ? fromItem(out.Item) : undefined;
  }

  /**
   * Moves a ticket's status if the transition is allowed from its current status (and it is in `allowedFrom`);
   * returns the ticket after the move, or undefined if nothing changed. A move out of the queues from one
   * status (an agent's claim, an abandon: every flow names the one status it moves from) is one conditional
   * update returning the new item, so it costs one request; any other move reads first and writes it whole.
   */
  async transition(number: string, to: TicketStatus, fields: Partial<Ticket>, allowedFrom?: TicketStatus[]): Promise<Ticket | undefined> {
    if (!/^\d{1,12}$/.test(number)) return undefined;
    const from = STATUSES.filter((s) => canMove(s, to) && (!allowedFrom || allowedFrom.includes(s)));
    if (!from.length) return undefined;
    // From one status, "the status read" and "the status now" are the same condition; from several, a move
    // racing another must still be judged on the status it was read in, as two moves of one read never both win.
    if (from.length > 1 || to === 'waiting' || to === 'callback' || Object.keys(fields).some((f) => INDEX_INPUTS.has(f))) {
      return this.transitionByPut(number, to, fields, allowedFrom);
    }
    const out = await writeIf('transition ticket', () =>
      this.doc.send(new UpdateCommand({ ...ticketMoveUpdate(this.table, number, from[0]!, to, fields), ReturnValues: 'ALL_NEW' })),
    );
    return out?.Attributes ? fromItem(out.Attributes) : undefined; // undefined: missing, or moved by someone else first
  }

  /** `transition` for moves into a queue (or changing what places a ticket there): read, then write it whole if its status is unchanged. */
  private async transitionByPut(number: string, to: TicketStatus, fields: Partial<Ticket>, allowedFrom?: TicketStatus[]): Promise<Ticket | undefined> {
    const current = await this.get(number);
    if (!current) return undefined;
    if (!canMove(current.status, to) || (allowedFrom && !allowedFrom.includes(current.status))) return undefined;
    const next: Ticket = { ...current, ...fields, status: to };
    const written = await writeIf('transition ticket', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: toItem(next),
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':from': current.status },
        }),
      ),
    );
    return written ? next : undefined; // undefined: someone else moved it first
  }

  /**
   * Replaces a ticket read as `current` with `next`, only if nobody changed its status, agent, bridge or
   * notification marker since it was read: the compare-and-set the agents' line builds its moves on
   * (claim corrections, releases, notifications), where `transition`'s status check alone is not enough
   * (two agents may both see a ticket in progress). Returns false when the ticket moved meanwhile.
   */
  async replaceIf<T extends Ticket>(current: T, next: T): Promise<boolean> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const conds = (['status', 'agent', 'bridgedAt', 'notifiedStatus'] as const).map((field, i) => {
      names[`#c${i}`] = field;
      const value = (current as Record<string, unknown>)[field];
      if (value === undefined) return `attribute_not_exists(#c${i})`;
      values[`:c${i}`] = value;
      return `#c${i} = :c${i}`;
    });
    const written = await writeIf('replace ticket', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: toItem(next),
          ConditionExpression: `attribute_exists(pk) AND ${conds.join(' AND ')}`,
          ExpressionAttributeNames: names,
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        }),
      ),
    );
    return written !== undefined;
  }

  /** The best waiting tickets of one queue partition (service, language, tier), best first. */
  async waiting(service: string, language: string, tier: number, limit = 5): Promise<Ticket[]> {
    const out = await dynamo('query queue', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'queue',
          KeyConditionExpression: 'queuePk = :p',
          ExpressionAttributeValues: { ':p': queuePartition({ service, language, tier }) },
          Limit: limit,
        }),
      ),
    );
    return (out.Items ?? []).map(fromItem);
  }

  /** The best callback tickets of one queue partition, in waiting order: the same index, its own partitions. */
  async callbacks(service: string, language: string, tier: number, limit = 5): Promise<Ticket[]> {
    const out = await dynamo('query callbacks', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'queue',
          KeyConditionExpression: 'queuePk = :p',
          ExpressionAttributeValues: { ':p': callbackPartition({ service, language, tier }) },
          Limit: limit,
        }),
      ),
    );
    return (out.Items ?? []).map(fromItem);
  }

  /** How many tickets of `priority` the organization opened since `sinceIso` (fair use). */
  async countByOrgSince(org: string, sinceIso: string, priority: string): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await dynamo('query org tickets', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'byOrg',
            KeyConditionExpression: 'orgPk = :o AND orgSk >= :since',
            FilterExpression: 'priority = :p',
            ExpressionAttributeValues: { ':o': `ORG#${org}`, ':since': sinceIso, ':p': priority },
            ExclusiveStartKey: start,
          }),
        ),
      );
      count += out.Items?.length ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return count;
  }

  /** The organization's tickets from one calling number since `sinceIso` in one of `statuses`, newest first (the `byOrg` index). */
  async openFromCaller(org: string, caller: string, sinceIso: string, statuses: readonly TicketStatus[]): Promise<Ticket[]> {
    if (!caller || !statuses.length) return [];
    const values: Record<string, unknown> = { ':o': `ORG#${org}`, ':since': sinceIso, ':c': caller };
    statuses.forEach((st, i) => (values[`:s${i}`] = st));
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await dynamo('query caller tickets', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'byOrg',
            KeyConditionExpression: 'orgPk = :o AND orgSk >= :since',
            FilterExpression: `caller = :c AND #status IN (${statuses.map((_, i) => `:s${i}`).join(', ')})`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: values,
            ScanIndexForward: false,
            ExclusiveStartKey: start,
          }),
        ),
      );
      items.push(...(out.Items ?? []).filter((i) => i.sk === 'TICKET'));
      start = out.LastEvaluatedKey;
    } while (start);
    return items.map(fromItem);
  }

  /** Waiting tickets of the same partition whose queue sort key comes first: the callers agents take before this one. */
  async waitingAhead(ticket: Ticket): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await dynamo('count queue ahead', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'queue',
            KeyConditionExpression: 'queuePk = :p AND queueSk < :k',
            ExpressionAttributeValues: { ':p': queuePartition(ticket), ':k': queueSortKey(ticket) },
            Select: 'COUNT',
            ExclusiveStartKey: start,
          }),
        ),
      );
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return count;
  }

  /** One conditional update that both checks the caller's ticket and marks the announcement; the new item is returned. */
  async markAnnounced(number: string, callSid: string, atIso: string, lastAtOrBefore?: string): Promise<AnnouncedTicket | undefined> {
    if (!/^\d{1,12}$/.test(number)) return undefined;
    const out = await writeIf('mark announcement', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: ticketKey(number),
          UpdateExpression: 'SET #at = :at',
          ConditionExpression: `#sid = :sid AND #status = :waiting${lastAtOrBefore === undefined ? '' : ' AND (attribute_not_exists(#at) OR #at <= :last)'}`,
          ExpressionAttributeNames: { '#at': 'announcedAt', '#sid': 'callSid', '#status': 'status' },
          ExpressionAttributeValues: {
            ':at': atIso,
            ':sid': callSid,
            ':waiting': 'waiting',
            ...(lastAtOrBefore === undefined ? {} : { ':last': lastAtOrBefore }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return out?.Attributes ? fromItem(out.Attributes) : undefined;
  }

  /** How long recent callers of one service and language waited for an agent (answeredAt − createdAt), newest first. */
  async answeredWaits(service: string, language: string, sinceIso: string, limit: number): Promise<number[]> {
    // One page per status is plenty: an estimate needs the latest few waits, not every one.
    const pages = await Promise.all(
      ['in-progress', 'closed'].map((status) =>
        dynamo('query answered tickets', () =>
          this.doc.send(
            new QueryCommand({
              TableName: this.table,
              IndexName: 'byStatus',
              KeyConditionExpression: 'statusPk = :s AND statusSk >= :since',
              FilterExpression: 'service = :svc AND #lang = :lang AND attribute_exists(answeredAt)',
              ExpressionAttributeNames: { '#lang': 'language' },
              ExpressionAttributeValues: { ':s': `STATUS#${status}`, ':since': sinceIso, ':svc': service, ':lang': language },
              ScanIndexForward: false,
            }),
          ),
        ),
      ),
    );
    return pages
      .flatMap((p) => p.Items ?? [])
      .sort((a, b) => String(b.statusSk).localeCompare(String(a.statusSk)))
      .slice(0, limit)
      .map((i) => (Date.parse(String(i.answeredAt)) - Date.parse(String(i.createdAt))) / 1000)
      .filter((s) => s >= 0);
  }

  /**
   * One item per limit (`LIMIT#<key>`) holding each holder's time and the newest of them (`lastAt`). The first
   * holder of a fresh window (no item yet, or every holder on it older than the window) is one conditional
   * write with no read. Otherwise: read it, drop holders older than the window, and write it back only if
   * nobody wrote it meanwhile (a version check, which the first write changes too), so concurrent calls
   * cannot both take the last place. A lost race reads again.
   */
  async reserveInWindow(key: string, holder: string, max: number, windowMs: number, nowMs: number): Promise<boolean> {
    const k = { pk: `LIMIT#${key}`, sk: 'LIMIT' };
    if (max > 0) {
      // A fresh window's version is this write's time: never a version a concurrent reader of the old item
      // read (those are earlier times plus a few holders, or small counts), so its version check still fails.
      const fresh = await writeIf('reserve limit', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...k, holders: { [holder]: nowMs }, lastAt: nowMs, version: nowMs },
            ConditionExpression: 'attribute_not_exists(pk) OR lastAt <= :expired',
            ExpressionAttributeValues: { ':expired': nowMs - windowMs },
          }),
        ),
      );
      if (fresh) return true;
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const out = await dynamo('read limit', () => this.doc.send(new GetCommand({ TableName: this.table, Key: k, ConsistentRead: true })));
      const version = Number(out.Item?.version ?? 0);
      const held = (out.Item?.holders ?? {}) as Record<string, number>;
      if (held[holder] !== undefined) return true;
      const live = Object.fromEntries(Object.entries(held).filter(([, at]) => nowMs - at < windowMs));
      if (Object.keys(live).length >= max) return false;
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...k, holders: { ...live, [holder]: nowMs }, lastAt: Math.max(nowMs, ...Object.values(live)), version: version + 1 },
            ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
            ...(version === 0 ? {} : { ExpressionAttributeValues: { ':v': version } }),
          }),
        );
        return true;
      } catch (e) {
        if (!isConditionFailed(e)) throw mapDynamoError(e, 'reserve limit');
      }
    }
    throw new StoreUnavailableError(`limit ${key} kept changing under concurrent calls`);
  }

  /** Tickets matching the filter, newest first. Uses an index when a filter allows. */
  async list(filter: TicketFilter): Promise<Ticket[]> {
    const limit = Math.min(filter.limit ?? 100, 1000);
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    const extra: string[] = [];
    const values: Record<string, unknown> = {};
    const names: Record<string, string> = {};
    if (filter.priority) {
      extra.push('priority = :prio');
      values[':prio'] = filter.priority;
    }
    do {
      let out: { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> };
      if (filter.org || filter.status) {
        const byOrg = !!filter.org;
        const filters = [...extra];
        if (byOrg && filter.status) {
          filters.push('#status = :status');
          names['#status'] = 'status';
          values[':status'] = filter.status;
        }
        out = await dynamo('query tickets', () =>
          this.doc.send(
            new QueryCommand({
              TableName: this.table,
              IndexName: byOrg ? 'byOrg' : 'byStatus',
              KeyConditionExpression: byOrg ? 'orgPk = :k' : 'statusPk = :k',
              ExpressionAttributeValues: { ...values, ':k': byOrg ? `ORG#${filter.org}` : `STATUS#${filter.status}` },
              ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
              ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
              ScanIndexForward: false,
              ExclusiveStartKey: start,
            }),
          ),
        );
      } else {
        out = await dynamo('scan tickets', () =>
          this.doc.send(
            new ScanCommand({
              TableName: this.table,
              FilterExpression: ['sk = :t', ...extra].join(' AND '),
              ExpressionAttributeValues: { ...values, ':t': 'TICKET' },
              ExclusiveStartKey: start,
            }),
          ),
        );
      }
      // The number counter (`COUNTER` / `TICKET`) shares the sort key of tickets: only `TICKET#…` items are tickets.
      items.push(...(out.Items ?? []).filter((i) => i.sk === 'TICKET' && String(i.pk).startsWith('TICKET#')));
      start = out.LastEvaluatedKey;
    } while (start && items.length < limit);
    return items
      .map(fromItem)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : Number(b.number) - Number(a.number)))
      .slice(0, limit);
  }
}

/** A ticket as stored, with its index keys (exported for the call store's one-write ticket: call-store.ts). */
/**
 * A ticket's move out of the queues from exactly one status, as one conditional update: what `transition`
 * sends, and what the call store puts in a step's commit (a `ticket-move` step write). Only for moves that
 * change nothing placing the ticket in a queue (`transition` checks).
 */
export function ticketMoveUpdate(table: string, number: string, from: TicketStatus, to: TicketStatus, fields: Partial<Ticket>) {
  const names: Record<string, string> = { '#status': 'status', '#statusPk': 'statusPk', '#queuePk': 'queuePk', '#queueSk': 'queueSk' };
  const values: Record<string, unknown> = { ':to': to, ':statusPk': `STATUS#${to}`, ':from': from };
  const sets = ['#status = :to', '#statusPk = :statusPk'];
  const removes = ['#queuePk', '#queueSk'];
  Object.entries(fields).forEach(([field, value], i) => {
    if (field === 'status') return;
    names[`#a${i}`] = field;
    // As in a whole-item write, a field given as undefined is no longer stored.
    if (value === undefined) removes.push(`#a${i}`);
    else {
      values[`:a${i}`] = value;
      sets.push(`#a${i} = :a${i}`);
    }
  });
  return {
    TableName: table,
    Key: ticketKey(number),
    UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
    ConditionExpression: 'attribute_exists(pk) AND #status = :from',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

export function toItem(t: Ticket): Record<string, unknown> {
  const item: Record<string, unknown> = {
    ...ticketKey(t.number),
    ...t,
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

function fromItem(item: Record<string, unknown>): Ticket {
  const { pk: _p, sk: _s, orgPk: _o, orgSk: _os, statusPk: _sp, statusSk: _ss, queuePk: _q, queueSk: _qs, ...t } = item;
  return t as unknown as Ticket;
}
