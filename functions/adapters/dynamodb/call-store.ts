/**
 * Call state in the `calls` table, one item per call (`CALL#<CallSid>` / `STATE`). Every caller step is
 * claimed and committed with conditional writes on the step's sequence number, which gives exactly-once
 * steps without transactions (the embedded DynamoDB has none):
 *  - claim: `n = :s` and no fresh claim of the same step → the step runs here; the item comes back in the
 *    same round trip (UpdateItem ... ReturnValues ALL_NEW), so a step costs one read-and-claim plus one commit.
 *    A new call is created already claimed (or, when its first step only asks, already answered): one write.
 *  - commit: writes the new state, `n = s + 1` and the answer given, only if this claim still holds.
 * A retried request finds `last.n = s` and gets the same answer again; an out-of-order one gets the
 * current prompt again. Nothing about the call is in memory between webhooks.
 *
 * The answer kept for a retry is stored deflated (binary `last.z`): a prompt's TwiML is most of the item, and
 * compressed it keeps a step's write within one write unit (1 KB) instead of two.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { CallState } from '../../domain/call-state.js';
import type { AuditWrite, CallStore, ClaimResult, CommitResult, StepWrite } from '../../app/ports.js';
import { auditItem } from './audit-log.js';
import { ticketMoveUpdate, toItem as ticketItem } from './ticket-store.js';
import type { Ticket } from '../../domain/tickets.js';
import { dynamo, mapDynamoError, writeIf } from './errors.js';

/** How long a claim protects a step: longer than a function's timeout, shorter than Twilio's retry. */
const CLAIM_TTL_MS = 12_000;
/** Call items expire a day after the last step (TTL); code checks state, not the TTL. */
const CALL_TTL_S = 24 * 3600;

export type { ClaimResult };

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const key = (callSid: string) => ({ pk: `CALL#${callSid}`, sk: 'STATE' });

export interface CallStoreOptions {
  /**
   * The tickets table (tickets and the verification audit): with it, a step's audit entries go with its commit
   * and a call's ticket with its number claim, in one write each where the engine has transactions.
   */
  ticketsTable?: string;
}

export class DynamoCallStore implements CallStore {
  /** Whether the engine has TransactWriteItems: DynamoDB has; the embedded dynalite has not (found out once). */
  private transactions = true;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly options: CallStoreOptions = {},
  ) {}

  /**
   * Stores a new call's state with its first answer, claimed for this request if `claimed`, with the step's
   * audit entries (in one transaction where the engine has them); if the call exists (a retried first
   * webhook, a twin), returns it: without a state if only the status callback's end mark is stored.
   */
  async create(
    state: CallState,
    twiml: string,
    nowMs: number,
    opts: { claimed?: boolean; audit?: readonly AuditWrite[] } = {},
  ): Promise<{ created: true } | { created: false; state?: CallState }> {
    const claim = opts.claimed ? { inflight: state.n, inflightAt: nowMs } : {};
    const put = {
      TableName: this.table,
      Item: { ...key(state.callSid), ...state, ...claim, last: packLast(state.n - 1, twiml), expiresAt: Math.floor(nowMs / 1000) + CALL_TTL_S },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    const audit = this.auditPuts(opts.audit ?? []);
    // A refused transaction (the call exists) takes the plain path below, which tells what is stored.
    if (audit.length && this.transactions && (await this.transact('create call', [{ Put: put }, ...audit])) === true) return { created: true };
    const written = await writeIf('create call', () => this.doc.send(new PutCommand(put)));
    if (written) {
      await Promise.all(audit.map(({ Put }) => dynamo('audit', () => this.doc.send(new PutCommand(Put)))));
      return { created: true };
    }
    const existing = await this.get(state.callSid);
    return existing ? { created: false, state: existing } : { created: false };
  }

  private auditPuts(audit: readonly AuditWrite[]): Array<{ Put: { TableName: string; Item: Record<string, unknown> } }> {
    if (!audit.length) return [];
    const ticketsTable = this.options.ticketsTable;
    if (!ticketsTable) throw new Error('a write with audit entries: the call store was built without the audit table');
    return audit.map((a) => ({ Put: { TableName: ticketsTable, Item: auditItem(a.entry, a.seq) } }));
  }

  async get(callSid: string): Promise<CallState | undefined> {
    const item = await this.getRaw(callSid);
    return item ? strip(item) : undefined;
  }

  /** Claims step `s` (named `step`) of a call for this request. */
  async claim(callSid: string, s: number, step: string, nowMs: number): Promise<ClaimResult> {
    const out = await writeIf('claim step', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(callSid),
          UpdateExpression: 'SET inflight = :s, inflightAt = :now',
          ConditionExpression:
            'attribute_exists(pk) AND n = :s AND #expect = :step AND (attribute_not_exists(inflight) OR inflight <> :s OR inflightAt < :stale)',
          ExpressionAttributeNames: { '#expect': 'expect' },
          ExpressionAttributeValues: { ':s': s, ':now': nowMs, ':stale': nowMs - CLAIM_TTL_MS, ':step': step },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    if (out) return { kind: 'claimed', state: strip(out.Attributes!) };
    const item = await this.getRaw(callSid);
    if (!item) return { kind: 'missing' };
    const state = strip(item);
    const last = state.last;
    if (last && last.n === s) return { kind: 'answered', state, twiml: last.twiml };
    if (item.n === s && item.expect === step && item.inflight === s) return { kind: 'busy', state };
    return { kind: 'out-of-order', state };
  }

  /**
   * Commits step `s`: the new state, `n = s + 1` and the answer; fails with ConflictError if the claim was
   * lost. Returns `endedAt` if the status callback marked the call ended while the step ran (read from the
   * replaced item in the same write, and kept), so the step's ticket can be settled: see `markEnded`.
   * The step's writes go in the same transaction (`refused` names the one whose condition failed); without
   * transactions each is made first under its own condition, and a refused one stops the commit.
   */
  async commit(
    state: CallState,
    s: number,
    twiml: string,
    nowMs: number,
    audit: readonly AuditWrite[] = [],
    writes: readonly StepWrite[] = [],
  ): Promise<CommitResult> {
    const { last: _l, endedAt: _e, ...rest } = state;
    const item = {
      ...key(state.callSid),
      ...rest,
      ...(state.endedAt ? { endedAt: state.endedAt } : {}),
      n: s + 1,
      last: packLast(s, twiml),
      expiresAt: Math.floor(nowMs / 1000) + CALL_TTL_S,
    };
    const auditItems = this.auditPuts(audit);
    const writeItems = writes.map((w) => this.stepWriteItem(w));
    if (this.transactions && (auditItems.length || writeItems.length)) {
      // One request: the state, its audit and its writes together. A status callback's end mark (or a lost
      // claim) fails the state's condition; the plain path below then keeps the mark or reports the conflict,
      // and makes none of the step's writes.
      const written = await this.commitInTransaction(item, s, [...auditItems, ...writeItems]);
      if (written === true) return {};
      const refused = written.find((i) => i > auditItems.length);
      if (refused !== undefined) return { refused: writes[refused - 1 - auditItems.length]! };
      if (written.includes(0)) writeItems.length = 0;
    }
    for (const [i, { Update }] of writeItems.entries()) {
      if (!(await writeIf('step write', () => this.doc.send(new UpdateCommand(Update))))) return { refused: writes[i]! };
    }
    await Promise.all(auditItems.map(({ Put }) => dynamo('audit', () => this.doc.send(new PutCommand(Put)))));
    const out = await dynamo('commit step', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'n = :s AND inflight = :s',
          ExpressionAttributeValues: { ':s': s },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    const endedAt = typeof out.Attributes?.endedAt === 'string' ? out.Attributes.endedAt : undefined;
    if (endedAt && !state.endedAt) {
      // The status callback's mark was replaced with the rest of the item: put it back.
      await this.markEnded(state.callSid, endedAt);
    }
    return endedAt ? { endedAt } : {};
  }

  /** A step write as a transaction item (the tickets table). */
  private stepWriteItem(w: StepWrite): { Update: ReturnType<typeof ticketMoveUpdate> } {
    const ticketsTable = this.options.ticketsTable;
    if (!ticketsTable) throw new Error('a commit with step writes: the call store was built without the tickets table');
    return { Update: ticketMoveUpdate(ticketsTable, w.number, w.from, w.to, w.fields) };
  }

  private commitInTransaction(item: Record<string, unknown>, s: number, others: TransactItem[]): Promise<true | number[]> {
    return this.transact('commit step', [
      {
        Put: {
          TableName: this.table,
          Item: item,
          ConditionExpression: 'n = :s AND inflight = :s AND attribute_not_exists(endedAt)',
          ExpressionAttributeValues: { ':s': s },
        },
      },
      ...others,
    ]);
  }

  /**
   * True if written; else the positions of the items whose condition failed (none known: a conflict, or an
   * engine without transactions, remembered). The caller then takes the path of separate writes, which tells
   * what happened.
   */
  private async transact(action: string, items: TransactItem[]): Promise<true | number[]> {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (e) {
      const name = (e as { name?: string })?.name;
      if (name === 'UnknownOperationException') this.transactions = false;
      else if (name !== 'TransactionCanceledException') throw mapDynamoError(e, action);
      const reasons = (e as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
      return reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
    }
  }

  /**
   * Marks the call ended (first mark wins). The status callback marks first and reads the call's ticket
   * after; a step commits first and learns of the mark from its own write (`commit`): whichever comes
   * second sees the other, so a caller who hung up while their last key press was in flight does not leave
   * a ticket waiting for an agent. A call not stored yet (its first prompt only asked) keeps the mark alone,
   * so the step that would have stored it finds the call ended. Returns false for a call with no state.
   */
  async markEnded(callSid: string, atIso: string): Promise<boolean> {
    const out = await dynamo('mark call ended', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(callSid),
          UpdateExpression: 'SET endedAt = if_not_exists(endedAt, :at), expiresAt = if_not_exists(expiresAt, :exp)',
          ExpressionAttributeValues: { ':at': atIso, ':exp': Math.floor(Date.parse(atIso) / 1000) + CALL_TTL_S },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    return isCall(out.Attributes);
  }

  /**
   * Sets the call's ticket number unless it has one; returns the number the call ends up with. With `s`, a
   * new number is set only while the claim of step `s` holds (fenced): a handler still running after its
   * claim was taken over, or after the call moved on, gets ConflictError and opens no ticket.
   */
  async claimTicketNumber(callSid: string, candidate: string, s?: number): Promise<string> {
    const fenced = s !== undefined;
    const out = await dynamo('claim ticket number', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(callSid),
          UpdateExpression: 'SET ticketNumber = if_not_exists(ticketNumber, :c)',
          ConditionExpression: fenced ? 'attribute_exists(pk) AND (attribute_exists(ticketNumber) OR (n = :s AND inflight = :s))' : 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':c': candidate, ...(fenced ? { ':s': s } : {}) },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    return String(out.Attributes?.ticketNumber ?? candidate);
  }

  async claimTicket(ticket: Ticket, s: number): Promise<{ number: string; stored: boolean }> {
    const ticketsTable = this.options.ticketsTable;
    if (ticketsTable && this.transactions) {
      const written = await this.transact('claim ticket', [
        {
          Update: {
            TableName: this.table,
            Key: key(ticket.callSid),
            UpdateExpression: 'SET ticketNumber = :c',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(ticketNumber) AND n = :s AND inflight = :s',
            ExpressionAttributeValues: { ':c': ticket.number, ':s': s },
          },
        },
        { Put: { TableName: ticketsTable, Item: ticketItem(ticket), ConditionExpression: 'attribute_not_exists(pk)' } },
      ]);
      if (written === true) return { number: ticket.number, stored: true };
    }
    return { number: await this.claimTicketNumber(ticket.callSid, ticket.number, s), stored: false };
  }

  /** Sets a few fields outside the step sequence (the queue a caller waits in). */
  async patch(callSid: string, fields: Partial<Pick<CallState, 'queue' | 'ticketNumber'>>): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = Object.entries(fields).map(([k, v], i) => {
      names[`#f${i}`] = k;
      values[`:v${i}`] = v;
      return `#f${i} = :v${i}`;
    });
    if (!sets.length) return;
    await dynamo('patch call', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(callSid),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  /** The call's item; a lone end mark (no step ever stored) is no call. */
  private async getRaw(callSid: string): Promise<Record<string, unknown> | undefined> {
    const out = await dynamo('get call', () => this.doc.send(new GetCommand({ TableName: this.table, Key: key(callSid), ConsistentRead: true })));
    return isCall(out.Item) ? out.Item : undefined;
  }
}

function isCall(item: Record<string, unknown> | undefined): item is Record<string, unknown> {
  return typeof item?.n === 'number';
}

function strip(item: Record<string, unknown>): CallState {
  const { pk: _pk, sk: _sk, expiresAt: _e, inflight: _i, inflightAt: _ia, last, ...state } = item;
  const unpacked = unpackLast(last);
  return { ...state, ...(unpacked ? { last: unpacked } : {}) } as unknown as CallState;
}

function packLast(n: number, twiml: string): { n: number; z: Uint8Array } {
  return { n, z: deflateRawSync(twiml) };
}

/** The stored answer: deflated, or (an item written before compression, alive for at most a day) as text. */
function unpackLast(last: unknown): CallState['last'] | undefined {
  if (!last || typeof last !== 'object') return undefined;
  const { n, z, twiml } = last as { n: number; z?: Uint8Array; twiml?: string };
  if (z instanceof Uint8Array) return { n, twiml: inflateRawSync(z).toString('utf8') };
  return typeof twiml === 'string' ? { n, twiml } : undefined;
}
