/**
 * Replays tickets that were spooled while DynamoDB could not take them (caller-flow `openTicket`). The
 * caller already heard the ticket's reference, so a replay stores the ticket under that very number, and
 * does so idempotently: a message delivered twice (SQS is at-least-once, a local drain may be retried
 * after a crash) finds its own ticket and changes nothing.
 *
 * References of spooled tickets are derived from the CallSid (9 digits), so two calls can, rarely, share
 * one. Such a ticket is never dropped: it is stored under the reference plus a 3-digit suffix and keeps
 * the reference the caller heard in `reference`, so an agent searching for it finds both.
 *
 * A call can also have got a ticket through DynamoDB after its spooled one (Twilio retried the step once
 * DynamoDB answered again). The replay then adds no second ticket for the call: it notes the spooled
 * reference on the call's ticket (`spoolReference`), so the reference the caller heard still leads to it.
 *
 * With the call store, the replay first claims the call's one ticket number (the per-call key the flow
 * claims too) for the reference: a Twilio retry that comes after the replay then finds the spooled
 * ticket and answers with it (caller-flow `openTicket`), instead of opening a second one; a retry that came
 * first holds the key, and the replay folds the reference into that ticket.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Ticket } from '../domain/tickets.js';
import { ConflictError } from '../domain/errors.js';
import type { CallStore, TicketStore } from './ports.js';
import { parseSpoolRecord, type SpoolRecord } from '../domain/spool-record.js';

export type ReplayOutcome =
  | { kind: 'created'; number: string }
  /** The ticket was replayed before (a redelivery): nothing changed. */
  | { kind: 'exists'; number: string }
  /** Another call holds the reference: stored under `number`, with `reference` kept. */
  | { kind: 'renumbered'; number: string; reference: string }
  /** The call already has a ticket under `number`: the reference was noted on it instead. */
  | { kind: 'superseded'; number: string; reference: string };

const MAX_SUFFIX = 50;
/** How many of the organization's newest tickets are searched for one of the same call. */
const TWIN_SEARCH = 200;

export type ReplayStore = Pick<TicketStore, 'putIfAbsent' | 'list' | 'replaceIf'> & Partial<Pick<TicketStore, 'get'>>;
export type ReplayCalls = Pick<CallStore, 'claimTicketNumber' | 'patch'>;

/** The call's one ticket number, claimed for `reference` unless the call has one; undefined once its state has expired. */
async function claimForCall(calls: ReplayCalls | undefined, callSid: string, reference: string): Promise<string | undefined> {
  if (!calls) return undefined;
  try {
    return await calls.claimTicketNumber(callSid, reference);
  } catch (e) {
    if (e instanceof ConflictError) return undefined;
    throw e;
  }
}

async function noteReference(tickets: ReplayStore, twin: Ticket, reference: string): Promise<ReplayOutcome> {
  const noted = twin as Ticket & { spoolReference?: string };
  if (noted.spoolReference !== reference) await tickets.replaceIf(twin, { ...twin, spoolReference: reference } as Ticket);
  return { kind: 'superseded', number: twin.number, reference };
}

export async function replaySpooledTicket(record: SpoolRecord, tickets: ReplayStore, calls?: ReplayCalls): Promise<ReplayOutcome> {
  const ticket = record.ticket;
  const own = await claimForCall(calls, ticket.callSid, ticket.number);
  if (own && own !== ticket.number) {
    // The call's number is another one: its ticket, or (its write failed) this one stored under that number.
    const twin = (await tickets.get?.(own)) ?? (await tickets.putIfAbsent({ ...ticket, number: own, spoolReference: ticket.number } as Ticket));
    if (twin.callSid !== ticket.callSid) throw new Error(`call ${ticket.callSid}'s ticket number ${own} holds another call's ticket`);
    return noteReference(tickets, twin, ticket.number);
  }
  const twin = (await tickets.list({ org: ticket.org, limit: TWIN_SEARCH })).find(
    (t) => t.callSid === ticket.callSid && t.number !== ticket.number && !('reference' in t && t.reference === ticket.number),
  );
  if (twin) return noteReference(tickets, twin, ticket.number);
  const stored = await tickets.putIfAbsent(ticket);
  if (stored.callSid === ticket.callSid) return stored === ticket ? { kind: 'created', number: ticket.number } : { kind: 'exists', number: ticket.number };
  for (let i = 1; i <= MAX_SUFFIX; i++) {
    const number = `${ticket.number}${String(i).padStart(3, '0')}`;
    const candidate = { ...ticket, number, reference: ticket.number } as Ticket;
    const other = await tickets.putIfAbsent(candidate);
    if (other.callSid === ticket.callSid) {
      // The call's key was claimed for the reference just now: it must lead to this ticket, not the other call's.
      if (own) await calls?.patch(ticket.callSid, { ticketNumber: number });
      return { kind: 'renumbered', number, reference: ticket.number };
    }
  }
  throw new Error(`spooled ticket ${ticket.number} of ${ticket.callSid}: every suffixed number is taken`);
}

export interface SpoolReplayDeps {
  tickets: ReplayStore;
  calls?: ReplayCalls;
  log?: (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;
}

/**
 * The SQS event handler: each message on its own, failures reported per message (partial batch
 * response), so one bad or unlucky message is retried or dead-lettered without replaying the others.
 */
export function spoolReplayHandler(deps: SpoolReplayDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records ?? []) {
      try {
        const outcome = await replaySpooledTicket(parseSpoolRecord(record.body), deps.tickets, deps.calls);
        deps.log?.(outcome.kind === 'renumbered' ? 'warn' : 'info', 'spooled ticket replayed', { messageId: record.messageId, ...outcome });
      } catch (e) {
        deps.log?.('error', 'spooled ticket not replayed', { messageId: record.messageId, error: e instanceof Error ? e.message : String(e) });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}
