/**
 * Replays tickets that were spooled while DynamoDB could not take them (caller-flow `openTicket`). The
 * caller already heard the ticket's reference, so a replay stores the ticket under that very number, and
 * does so idempotently: a message delivered twice (SQS is at-least-once, a local drain may be retried
 * after a crash) finds its own ticket and changes nothing.
 *
 * References of spooled tickets are derived from the CallSid (9 digits), so two calls can, rarely, share
 * one. Such a ticket is never dropped: it is stored under the reference plus a 3-digit suffix and keeps
 * the reference the caller heard in `reference`, so an agent searching for it finds both.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Ticket } from '../domain/tickets.js';
import type { TicketStore } from './deps.js';
import { parseSpoolRecord, type SpoolRecord } from '../adapters/spool/spool-record.js';

export type ReplayOutcome =
  | { kind: 'created'; number: string }
  /** The ticket was replayed before (a redelivery): nothing changed. */
  | { kind: 'exists'; number: string }
  /** Another call holds the reference: stored under `number`, with `reference` kept. */
  | { kind: 'renumbered'; number: string; reference: string };

const MAX_SUFFIX = 50;

export async function replaySpooledTicket(record: SpoolRecord, tickets: Pick<TicketStore, 'putIfAbsent'>): Promise<ReplayOutcome> {
  const ticket = record.ticket;
  const stored = await tickets.putIfAbsent(ticket);
  if (stored.callSid === ticket.callSid) return stored === ticket ? { kind: 'created', number: ticket.number } : { kind: 'exists', number: ticket.number };
  for (let i = 1; i <= MAX_SUFFIX; i++) {
    const number = `${ticket.number}${String(i).padStart(3, '0')}`;
    const candidate = { ...ticket, number, reference: ticket.number } as Ticket;
    const other = await tickets.putIfAbsent(candidate);
    if (other.callSid === ticket.callSid) return { kind: 'renumbered', number, reference: ticket.number };
  }
  throw new Error(`spooled ticket ${ticket.number} of ${ticket.callSid}: every suffixed number is taken`);
}

export interface SpoolReplayDeps {
  tickets: Pick<TicketStore, 'putIfAbsent'>;
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
        const outcome = await replaySpooledTicket(parseSpoolRecord(record.body), deps.tickets);
        deps.log?.(outcome.kind === 'renumbered' ? 'warn' : 'info', 'spooled ticket replayed', { messageId: record.messageId, ...outcome });
      } catch (e) {
        deps.log?.('error', 'spooled ticket not replayed', { messageId: record.messageId, error: e instanceof Error ? e.message : String(e) });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}
