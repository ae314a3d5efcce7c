/**
 * TaskRouter, for teams too big for the agents' line: the assignment callback's answer, and the worker's
 * call that it starts (the whisper, then the reserved caller). Idempotent through conditional ticket writes.
 */
import { say, type Verb } from '../../domain/decisions.js';
import { firstResponseMet, isKeyedId } from '../../domain/agents.js';
import type { FlowDeps } from '../ports.js';
import { LINE_LANGUAGE, ticketByNumber } from './context.js';
import { notifyStatusChange } from './notify.js';
import { whisper } from './whisper.js';

/** TaskRouter's reservation sid: "WR" and 32 hex digits. */
export const RESERVATION_SID = /^WR[0-9a-fA-F]{32}$/;

/**
 * The answer to a TaskRouter assignment callback (a reservation of a worker for a caller's task). We use
 * Twilio's documented `call` instruction rather than `dequeue`: `dequeue` connects the worker straight to
 * the caller with no TwiML of ours on the worker's leg, so the worker could not hear the whisper. With
 * `call`, TaskRouter calls the worker's `contact_uri` from our number and runs `url` when they answer; that
 * step plays the same whisper as the agents' line and then `<Dial><Queue reservationSid>` bridges the
 * reserved caller, which also accepts the reservation (so `accept` is not set here: a worker who does not
 * answer leaves the reservation to time out and the task goes to someone else).
 * Unusable reservations (no worker contact, no task attributes) are rejected so TaskRouter reroutes them.
 */
export async function assignmentInstruction(
  params: Record<string, string>,
  baseUrl: string,
  deps: Pick<FlowDeps, 'tickets' | 'directory' | 'log'>,
): Promise<Record<string, unknown>> {
  const task = parseJson(params.TaskAttributes);
  const worker = parseJson(params.WorkerAttributes);
  const reservation = params.ReservationSid ?? '';
  const to = typeof worker?.contact_uri === 'string' ? worker.contact_uri : '';
  if (!task || !to || !RESERVATION_SID.test(reservation)) {
    deps.log?.('warn', 'reservation rejected', { reservation, hasTask: !!task, hasContact: !!to });
    return { instruction: 'reject' };
  }
  const number = typeof task.ticket === 'string' || typeof task.ticket === 'number' ? String(task.ticket) : '';
  const ticket = await ticketByNumber(number, deps);
  const config = await deps.directory.config();
  const agentId = typeof worker?.agent_id === 'string' || typeof worker?.agent_id === 'number' ? String(worker.agent_id) : (params.WorkerSid ?? '');
  const query = new URLSearchParams({ t: number, r: reservation, a: agentId });
  return {
    instruction: 'call',
    to,
    // A number of ours the worker recognizes: the support line the caller dialed, else the agents' line.
    from: ticket?.line ?? config.agentsLine,
    url: `${baseUrl}/twilio/agent/whisper?${query.toString()}`,
  };
}

/**
 * TaskRouter's `call` instruction ran: the worker answered. The ticket is claimed for them (as on the
 * agents' line), they hear the whisper, and `<Dial><Queue reservationSid>` bridges the reserved caller;
 * the Queue `url` is the same bridge step, so the ticket records who was connected either way.
 */
export async function taskRouterWhisper(query: Record<string, string>, deps: FlowDeps): Promise<{ language: string; verbs: Verb[] }> {
  const reservation = query.r ?? '';
  const agentId = query.a ?? '';
  if (!RESERVATION_SID.test(reservation)) return { language: LINE_LANGUAGE, verbs: [say('error-generic'), { kind: 'hangup' }] };
  const agent = isKeyedId(agentId) ? await deps.directory.agentById(agentId) : undefined;
  const language = agent?.languages[0] ?? LINE_LANGUAGE;
  let ticket = await ticketByNumber(query.t ?? '', deps);
  if (ticket?.status === 'waiting' && agentId) {
    const answeredAt = deps.now().toISOString();
    const claimed = await deps.tickets.transition(
      ticket.number,
      'in-progress',
      { agent: agentId, answeredAt, firstResponseMet: firstResponseMet(answeredAt, ticket.firstResponseDue) },
      ['waiting'],
    );
    if (claimed) {
      await notifyStatusChange(claimed, deps);
      ticket = claimed;
    }
  }
  const bridge = ticket ? `/twilio/agent/bridge?t=${ticket.number}&a=${encodeURIComponent(agentId)}` : undefined;
  return {
    language,
    verbs: [...(ticket ? [whisper(ticket)] : []), { kind: 'dialQueue', queue: '', reservationSid: reservation, ...(bridge ? { url: bridge } : {}) }],
  };
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
