/**
 * The one message format of the ticket spool, shared by the SQS queue (AWS) and the spool file (local):
 * a versioned envelope around the ticket exactly as the caller was promised it, so a replay can store it
 * under the very reference number the caller heard.
 */
import type { Ticket } from './tickets.js';

export interface SpoolRecord {
  v: 1;
  ticket: Ticket;
  /** When the flow gave up on DynamoDB and spooled the ticket (ISO). */
  spooledAt: string;
}

export class SpoolRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpoolRecordError';
  }
}

export function spoolRecord(ticket: Ticket, now: Date): SpoolRecord {
  return { v: 1, ticket, spooledAt: now.toISOString() };
}

/**
 * Parses and checks one spooled message. A record that cannot be a ticket throws: it must stay visible
 * (the dead-letter queue, the spool file) for a person, never be dropped or stored half-formed.
 */
export function parseSpoolRecord(text: string): SpoolRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SpoolRecordError('spool record is not JSON');
  }
  const r = raw as Partial<SpoolRecord> | null;
  if (!r || typeof r !== 'object' || r.v !== 1 || !r.ticket || typeof r.ticket !== 'object')
    throw new SpoolRecordError('spool record is not a v1 envelope with a ticket');
  const t = r.ticket as Partial<Ticket>;
  const problems: string[] = [];
  if (typeof t.number !== 'string' || !/^\d{1,12}$/.test(t.number)) problems.push('number');
  if (typeof t.callSid !== 'string' || !t.callSid) problems.push('callSid');
  for (const k of ['org', 'service', 'priority', 'status', 'line', 'language', 'createdAt', 'firstResponseDue'] as const) {
    if (typeof t[k] !== 'string' || !t[k]) problems.push(k);
  }
  if (problems.length) throw new SpoolRecordError(`spool record's ticket lacks ${problems.join(', ')}`);
  return { v: 1, ticket: r.ticket as Ticket, spooledAt: typeof r.spooledAt === 'string' ? r.spooledAt : '' };
}
