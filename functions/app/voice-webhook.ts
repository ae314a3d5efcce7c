/**
 * The caller's webhooks (`/twilio/voice`, `/twilio/call/{step}`): parse, hand the step to the flow through
 * the step runner, return TwiML. Out-of-sequence helpers (the queue's wait answer, its callback key and its
 * exit) need no claim: they belong to the call's own ticket and change it only by compare-and-set.
 */
import { say } from '../domain/decisions.js';
import type { TwilioHandler } from '../middleware/twilio-webhook.js';
import type { TwilioRequest } from '../middleware/types.js';
import { CALLER_STEPS, firstStep, firstStepAsksOnly, queueResultAnswer, startCall, unknownLineAnswer, waitAnswer, waitKeyAnswer } from './caller-flow/index.js';
import type { FlowDeps } from './ports.js';
import { firstPrompt, runStep, startStep, type FirstPrompt } from './step-runner.js';
import { isSurveyRequest, surveyWebhook } from './survey.js';
import { StoreUnavailableError } from '../domain/errors.js';
import { normalizeE164 } from '../domain/caller-id.js';

export { CALLER_STEPS };

/** Twilio's CallSid: "CA" and 32 hex digits. Anything else is not a call we can keep state for. */
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;

export function voiceWebhook(deps: FlowDeps): TwilioHandler {
  return async (req: TwilioRequest) => {
    const callSid = req.params.CallSid ?? '';
    const step = req.pathParams.step;
    if (isSurveyRequest(req)) return surveyWebhook(req, deps);
    const queued = { ticket: req.query.t ?? '', language: languageOf(req), params: req.params };
    if (step === 'wait') return waitAnswer(queued, deps);
    if (step === 'wait-key') return waitKeyAnswer(queued, deps);
    if (step === 'queue-result') return queueResultAnswer(queued, deps);
    if (!CALL_SID.test(callSid)) return { language: 'en-US', verbs: [say('error-generic'), { kind: 'hangup' }] };
    if (!step) return { twiml: await start(req, deps) };
    const s = Number.parseInt(req.query.s ?? '', 10);
    return {
      twiml: await runStep({
        callSid,
        step,
        s,
        params: req.params,
        baseUrl: req.baseUrl,
        deps,
        steps: CALLER_STEPS,
        selfUrl: `/twilio/call/${encodeURIComponent(step)}?s=${s}`,
        rescue: req.query.r,
        from: normalizeE164(req.params.From) ?? '',
        unstored: () => unstoredFirst(req, deps),
      }),
    };
  };
}

async function start(req: TwilioRequest, deps: FlowDeps): Promise<string> {
  try {
    const started = await startCall(req.params, deps);
    if (started.kind === 'unknown-line') return deps.twiml.render(unknownLineAnswer(), req.baseUrl);
    if (started.kind === 'agents-line') return deps.twiml.render({ language: 'en-US', verbs: [{ kind: 'redirect', url: '/twilio/agent/start' }] }, req.baseUrl);
    const { state } = started;
    // A first menu only asks: nothing is stored until the caller answers it (step-runner.ts `firstPrompt`).
    if (await firstStepAsksOnly(state, deps)) return (await firstPrompt({ state, fn: firstStep, params: req.params, baseUrl: req.baseUrl, deps })).twiml;
    // Any other first step runs exactly once like every later one, because it may already send a code (an
    // always-code organization): a retried or concurrent first webhook gets the same answer instead of a
    // second code (step-runner.ts `startStep`).
    const pendingTwiml = deps.twiml.render(
      { language: state.language, verbs: [say('one-moment'), { kind: 'pause', seconds: 1 }, { kind: 'redirect', url: '/twilio/voice' }] },
      req.baseUrl,
    );
    return await startStep({
      state,
      fn: firstStep,
      params: req.params,
      baseUrl: req.baseUrl,
      deps,
      selfUrl: '/twilio/voice',
      pendingTwiml,
    });
  } catch (e) {
    deps.log?.('error', 'call start failed', { error: e instanceof Error ? e.stack : String(e) });
    return deps.twiml.render(
      { language: 'en-US', verbs: [say(e instanceof StoreUnavailableError ? 'error-store' : 'error-generic'), { kind: 'hangup' }] },
      req.baseUrl,
    );
  }
}

/** The first menu as the first webhook asked it, unstored; undefined if the call's first step was stored (it acts). */
async function unstoredFirst(req: TwilioRequest, deps: FlowDeps): Promise<FirstPrompt | undefined> {
  const started = await startCall(req.params, deps);
  if (started.kind !== 'caller' || !(await firstStepAsksOnly(started.state, deps))) return undefined;
  return firstPrompt({ state: started.state, fn: firstStep, params: req.params, baseUrl: req.baseUrl, deps });
}

function languageOf(req: TwilioRequest): string {
  const lang = req.query.lang ?? '';
  return /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(lang) ? lang : 'en-US';
}
