/**
 * Twilio's call status callback. A caller who hangs up while waiting leaves an `abandoned` ticket (kept,
 * with the time, for a callback). Transitions are conditional on the ticket's current status, so a
 * repeated or out-of-order callback changes nothing twice, and one for an unknown call changes nothing.
 */
import type { VoiceAnswer } from '../domain/decisions.js';
import type { TwilioHandler } from '../middleware/twilio-webhook.js';
import type { FlowDeps } from './deps.js';

const ENDED = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;

export function statusWebhook(deps: Pick<FlowDeps, 'calls' | 'tickets' | 'now' | 'log'>): TwilioHandler {
  return async (req) => {
    const empty: VoiceAnswer = { language: 'en-US', verbs: [] };
    const callSid = req.params.CallSid ?? '';
    if (!CALL_SID.test(callSid) || !ENDED.has(req.params.CallStatus ?? '')) return empty;
    const state = await deps.calls.get(callSid);
    if (state?.kind === 'caller' && state.ticketNumber) {
      await deps.tickets.transition(state.ticketNumber, 'abandoned', { abandonedAt: deps.now().toISOString() }, ['waiting']);
    }
    return empty;
  };
}
