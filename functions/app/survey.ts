/**
 * The survey after a conversation (issue 17, contract §5 v2 `rating`), for lines or plans whose data file
 * asks for one (`survey: true`). When the agent's leg ends, Twilio requests the caller's `<Enqueue action>`
 * with `QueueResult=bridged`: the caller is asked to rate the help 1 to 5, and the answer is stored on the
 * ticket once. Stateless between its two requests: the ticket number is in the (signed) URL and the request's
 * CallSid must be the ticket's own call, so no other call can rate it. Hooked into the caller's webhook by
 * `isSurveyRequest` (voice-webhook.ts).
 */
import { msg, say, type VoiceAnswer } from '../domain/decisions.js';
import type { Ticket } from '../domain/tickets.js';
import type { LineConfig } from '../domain/model.js';
import type { TwilioRequest } from '../middleware/types.js';
import { retryCountOrEnd } from './answers.js';
import type { FlowDeps } from './ports.js';

/** Whether this request of the caller's webhook is the survey's: the queue result after a conversation, or a rating. */
export function isSurveyRequest(req: TwilioRequest): boolean {
  const step = req.pathParams.step;
  return step === 'survey' || (step === 'queue-result' && req.params.QueueResult === 'bridged');
}

/** Whether the data file asks this ticket's caller for a rating: its line or its plan says `survey: true`. */
export function surveyWanted(config: LineConfig, t: Pick<Ticket, 'line' | 'plan'>): boolean {
  return !!config.lines.find((l) => l.number === t.line)?.survey || !!config.plans[t.plan]?.survey;
}

export async function surveyWebhook(req: TwilioRequest, deps: FlowDeps): Promise<VoiceAnswer> {
  const bye: VoiceAnswer = { language: 'en-US', verbs: [{ kind: 'hangup' }] };
  try {
    const number = /^\d{1,12}$/.test(req.query.t ?? '') ? req.query.t! : '';
    const ticket = number ? await deps.tickets.get(number) : undefined;
    if (!ticket || ticket.callSid !== req.params.CallSid) return bye;
    const language = ticket.language;
    if (ticket.rating !== undefined || !surveyWanted(await deps.directory.config(), ticket)) return { language, verbs: [{ kind: 'hangup' }] };
    if (req.pathParams.step === 'queue-result') return ask(ticket, 1, []);
    // `n`: how many times the rating has been asked, this time included.
    const asked = Number.parseInt(req.query.n ?? '1', 10) || 1;
    const digits = req.params.Digits ?? '';
    if (digits === '*') return ask(ticket, asked, []);
    const rating = /^[1-5]$/.test(digits) ? Number(digits) : undefined;
    if (rating === undefined) {
      return retryCountOrEnd(
        asked - 1,
        (): VoiceAnswer => ({ language, verbs: [say('goodbye'), { kind: 'hangup' }] }),
        (failed) => ask(ticket, failed + 1, [say('survey-invalid')]),
      );
    }
    // Once: a replay or a second answer finds the rating set and changes nothing.
    const current = await deps.tickets.get(number);
    if (current && current.rating === undefined) await deps.tickets.replaceIf(current, { ...current, rating });
    deps.log?.('info', 'survey answered', { ticket: number, rating });
    return { language, verbs: [say('survey-thanks'), { kind: 'hangup' }] };
  } catch (e) {
    // The conversation is over: a failure costs the rating, never an apology to a satisfied caller.
    deps.log?.('warn', 'survey failed', { ticket: req.query.t, error: e instanceof Error ? e.message : String(e) });
    return { language: 'en-US', verbs: [{ kind: 'hangup' }] };
  }
}

function ask(ticket: Ticket, asked: number, before: VoiceAnswer['verbs']): VoiceAnswer {
  const action = `/twilio/call/survey?t=${ticket.number}&lang=${encodeURIComponent(ticket.language)}&n=${asked}`;
  return {
    language: ticket.language,
    verbs: [...before, { kind: 'gather', prompt: [msg('survey-prompt')], action, numDigits: 1, finishOnKey: '', timeout: 8, actionOnEmptyResult: true }],
  };
}
