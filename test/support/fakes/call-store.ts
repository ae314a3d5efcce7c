/** The call store in memory, with the DynamoDB store's conditions (functions/adapters/dynamodb/call-store.ts). */
import type { AuditLog, AuditWrite, CallStore, ClaimResult, CommitResult, StepWrite, TicketStore } from '../../../functions/app/ports.js';
import type { CallState } from '../../../functions/domain/call-state.js';
import type { Ticket } from '../../../functions/domain/tickets.js';
import { ConflictError } from '../../../functions/domain/errors.js';
import { FakeTable, copy, type Item } from './table.js';

/** The same claim lifetime as the DynamoDB store: a claim older than this may be taken over. */
export const CLAIM_TTL_MS = 12_000;

const pk = (callSid: string) => `CALL#${callSid}`;
const SK = 'STATE';

export class FakeCallStore implements CallStore {
  /**
   * `audit`: where a step's audit entries go with its commit (the DynamoDB store's audit table); `tickets`:
   * where its step writes go (the DynamoDB store's tickets table).
   */
  constructor(
    readonly table = new FakeTable(),
    private readonly audit?: AuditLog,
    private readonly tickets?: TicketStore,
  ) {}

  async create(
    state: CallState,
    twiml: string,
    nowMs: number,
    opts: { claimed?: boolean; audit?: readonly AuditWrite[] } = {},
  ): Promise<{ created: true } | { created: false; state?: CallState }> {
    if (opts.audit?.length && !this.audit) throw new Error('create with audit entries: the call store was built without the audit log');
    const existing = this.table.get(pk(state.callSid), SK);
    if (existing) return isCall(existing) ? { created: false, state: strip(existing) } : { created: false };
    for (const a of opts.audit ?? []) await this.audit!.record(a.entry, a.seq);
    const claim = opts.claimed ? { inflight: state.n, inflightAt: nowMs } : {};
    this.table.put({ pk: pk(state.callSid), sk: SK, ...copy(state), ...claim, last: { n: state.n - 1, twiml } });
    return { created: true };
  }

  async get(callSid: string): Promise<CallState | undefined> {
    const item = this.call(callSid);
    return item ? strip(item) : undefined;
  }

  /** The call's item; a lone end mark (no step ever stored) is no call, as in the DynamoDB store. */
  private call(callSid: string): Item | undefined {
    const item = this.table.get(pk(callSid), SK);
    return item && isCall(item) ? item : undefined;
  }

  async claim(callSid: string, s: number, step: string, nowMs: number): Promise<ClaimResult> {
    const item = this.call(callSid);
    if (!item) return { kind: 'missing' };
    const fresh = item.inflight === s && Number(item.inflightAt) >= nowMs - CLAIM_TTL_MS;
    if (item.n === s && item.expect === step && !fresh) {
      const claimed = { ...item, inflight: s, inflightAt: nowMs };
      this.table.put(claimed);
      return { kind: 'claimed', state: strip(claimed) };
    }
    const state = strip(item);
    const last = item.last as CallState['last'];
    if (last && last.n === s) return { kind: 'answered', state, twiml: last.twiml };
    if (item.n === s && item.expect === step && item.inflight === s) return { kind: 'busy', state };
    return { kind: 'out-of-order', state };
  }

  async commit(
    state: CallState,
    s: number,
    twiml: string,
    _nowMs: number,
    audit: readonly AuditWrite[] = [],
    writes: readonly StepWrite[] = [],
  ): Promise<CommitResult> {
    if (audit.length && !this.audit) throw new Error('commit with audit entries: the call store was built without the audit log');
    if (writes.length && !this.tickets) throw new Error('commit with step writes: the call store was built without the ticket store');
    const old = this.table.get(pk(state.callSid), SK);
    if (!old || old.n !== s || old.inflight !== s) throw new ConflictError('commit step: condition failed');
    // As one transaction: the state's condition first, then each write's; a refused write commits nothing (one write per step here).
    for (const w of writes) if (!(await this.tickets!.transition(w.number, w.to, w.fields, [w.from]))) return { refused: w };
    for (const a of audit) await this.audit!.record(a.entry, a.seq);
    const { last: _l, endedAt: _e, ...rest } = copy(state);
    const endedAt = state.endedAt ?? (typeof old.endedAt === 'string' ? old.endedAt : undefined);
    // The DynamoDB store writes the status callback's mark back when the step's write replaced it.
    this.table.put({ pk: pk(state.callSid), sk: SK, ...rest, ...(endedAt ? { endedAt } : {}), n: s + 1, last: { n: s, twiml } });
    return typeof old.endedAt === 'string' ? { endedAt: old.endedAt } : {};
  }

  async markEnded(callSid: string, atIso: string): Promise<boolean> {
    const item = this.table.get(pk(callSid), SK);
    if (!item) {
      this.table.put({ pk: pk(callSid), sk: SK, endedAt: atIso });
      return false;
    }
    if (item.endedAt === undefined) this.table.put({ ...item, endedAt: atIso });
    return isCall(item);
  }

  async claimTicketNumber(callSid: string, candidate: string): Promise<string> {
    const item = this.existing(callSid, 'claim ticket number');
    if (item.ticketNumber !== undefined) return String(item.ticketNumber);
    this.table.put({ ...item, ticketNumber: candidate });
    return candidate;
  }

  /** No transactions here: the number is claimed, and the ticket left to the ticket store (as on dynalite). */
  async claimTicket(ticket: Ticket, _s: number): Promise<{ number: string; stored: boolean }> {
    return { number: await this.claimTicketNumber(ticket.callSid, ticket.number), stored: false };
  }

  async patch(callSid: string, fields: Partial<Pick<CallState, 'queue' | 'ticketNumber'>>): Promise<void> {
    if (!Object.keys(fields).length) return;
    this.table.put({ ...this.existing(callSid, 'patch call'), ...copy(fields) });
  }

  private existing(callSid: string, action: string): Item {
    const item = this.table.get(pk(callSid), SK);
    if (!item) throw new ConflictError(`${action}: condition failed`);
    return item;
  }
}

function isCall(item: Item): boolean {
  return typeof item.n === 'number';
}

function strip(item: Item): CallState {
  const { pk: _pk, sk: _sk, inflight: _i, inflightAt: _ia, ...state } = item;
  return state as unknown as CallState;
}
