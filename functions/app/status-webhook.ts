/**
 * Twilio's call status callback: the end of a call settles its ticket.
 *  - A caller who hangs up while waiting leaves an `abandoned` ticket (kept, with the time, for a
 *    callback); so does one whose ticket an agent had claimed but never got connected to (the caller hung
 *    up between the claim and the bridge).
 *  - An agent whose call ends between claiming a caller and being bridged releases that caller back to
 *    `waiting`: they are still in Twilio's queue and the next agent must find them.
 * Every move is conditional on the ticket's current status, agent and bridge, so a repeated or
 * out-of-order callback changes nothing twice, and one for an unknown call changes nothing. A caller's
 * call settles only the ticket that waits on that very call (`ticket.callSid`): the caller's earlier call
 * ending after a new call took the ticket over, a call that only named an open ticket, or a callback's
 * original call ending after an agent claimed it leaves the ticket alone. Status changes are told to the
 * organization when its plan asks for it (best effort).
 */
import type { VoiceAnswer } from '../domain/decisions.js';
import type { TwilioHandler } from '../middleware/twilio-webhook.js';
import { notifyStatusChange, releaseClaim, type AgentTicket } from './agent-flow/index.js';
import type { FlowDeps } from './ports.js';

const ENDED = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;

export type StatusDeps = Pick<FlowDeps, 'calls' | 'tickets' | 'now' | 'log' | 'directory' | 'notifier'>;

export function statusWebhook(deps: StatusDeps): TwilioHandler {
  return async (req) => {
    const empty: VoiceAnswer = { language: 'en-US', verbs: [] };
    const callSid = req.params.CallSid ?? '';
    if (!CALL_SID.test(callSid) || !ENDED.has(req.params.CallStatus ?? '')) return empty;
    // Mark first, read after: a step still running for this call learns of the mark when it commits.
    if (!(await deps.calls.markEnded(callSid, deps.now().toISOString()))) return empty;
    const state = await deps.calls.get(callSid);
    if (!state?.ticketNumber) return empty;
    const ticket = (await deps.tickets.get(state.ticketNumber)) as AgentTicket | undefined;
    if (!ticket) return empty;
    if (state.kind === 'caller') await callerEnded(ticket, callSid, deps);
    else if (state.kind === 'agent' && state.agentId) await releaseClaim(ticket, state.agentId, 'waiting', deps);
    return empty;
  };
}

/** The caller's call is over: unless they were connected to an agent, they left before being answered. */
async function callerEnded(ticket: AgentTicket, callSid: string, deps: StatusDeps): Promise<void> {
  // Not this call's ticket any more, or never: a new call of the caller joined it (joinTicket moves it to
  // that call), or this call only named it (over the hourly limit, a callback folded into the open ticket).
  // Nor a callback an agent has claimed: the customer is being called back, the original call is long over.
  if (ticket.callSid !== callSid || ticket.viaCallback) return;
  if (ticket.status === 'waiting') {
    const moved = await deps.tickets.transition(ticket.number, 'abandoned', { abandonedAt: deps.now().toISOString() }, ['waiting']);
    if (moved) await notifyStatusChange(moved, deps);
    return;
  }
  // Claimed by an agent but never bridged: the caller hung up during the whisper. Any agent's claim.
  if (ticket.status === 'in-progress' && !ticket.bridgedAt) await releaseClaim(ticket, undefined, 'abandoned', deps);
}
