/**
 * The agents' webhooks (`/twilio/agent/{step}`): the agent's own call (start, id, pin, next, done) runs
 * through the step runner, exactly once per step; the steps Twilio runs on other legs (the bridge on the
 * dequeued caller, TaskRouter's whisper on the worker) and the TaskRouter assignment callback are
 * idempotent through conditional ticket writes. Every failure a caller or agent could hear is spoken.
 */
import { normalizeE164 } from '../domain/caller-id.js';
import { say } from '../domain/decisions.js';
import { StoreUnavailableError } from '../domain/errors.js';
import type { TwilioHandler } from '../middleware/twilio-webhook.js';
import type { TwilioRequest } from '../middleware/types.js';
import {
  AGENT_STEPS,
  assignmentInstruction,
  bridgeCaller,
  callbackAnswered,
  connectAnswer,
  RESERVATION_SID,
  startAgentCall,
  taskRouterWhisper,
} from './agent-flow/index.js';
import type { FlowDeps } from './ports.js';
import { runStep, type FirstPrompt } from './step-runner.js';

export { AGENT_STEPS };

/** Twilio's CallSid: "CA" and 32 hex digits. */
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;

export function agentWebhook(deps: FlowDeps): TwilioHandler {
  return async (req: TwilioRequest) => {
    const step = req.pathParams.step ?? '';
    if (step === 'assignment') return assignment(req, deps);
    const callSid = req.params.CallSid ?? '';
    if (!CALL_SID.test(callSid)) return { language: 'en-US', verbs: [say('error-generic'), { kind: 'hangup' }] };
    if (step === 'bridge') {
      try {
        return await bridgeCaller({ callSid, announced: req.query.t ?? '', agentId: req.query.a ?? '' }, deps);
      } catch (e) {
        // The caller is being connected right now: bookkeeping trouble must not hang them up. Empty TwiML lets the bridge go on.
        deps.log?.('error', 'bridge bookkeeping failed', { callSid, ticket: req.query.t, error: e instanceof Error ? e.stack : String(e) });
        return { language: 'en-US', verbs: [] };
      }
    }
    if (step === 'connect') {
      try {
        const answer = await connectAnswer(callSid, Number.parseInt(req.query.s ?? '', 10), deps);
        return 'twiml' in answer ? { twiml: answer.twiml } : answer;
      } catch (e) {
        return spokenFailure(e, deps, step);
      }
    }
    if (step === 'answered') {
      try {
        return await callbackAnswered(req.query, deps);
      } catch (e) {
        // The customer is being connected to the agent: bookkeeping trouble must not hang them up.
        deps.log?.('error', 'callback bookkeeping failed', { callSid, ticket: req.query.t, error: e instanceof Error ? e.stack : String(e) });
        return { language: 'en-US', verbs: [] };
      }
    }
    if (step === 'whisper') {
      try {
        return await taskRouterWhisper(req.query, deps);
      } catch (e) {
        // Without the whisper the worker still gets their caller: bridge the reservation as it is.
        deps.log?.('error', 'TaskRouter whisper failed', { callSid, error: e instanceof Error ? e.stack : String(e) });
        const r = req.query.r ?? '';
        return RESERVATION_SID.test(r)
          ? { language: 'en-US', verbs: [{ kind: 'dialQueue' as const, queue: '', reservationSid: r }] }
          : spokenFailure(e, deps, step);
      }
    }
    if (step === 'start') {
      try {
        return { twiml: await start(req, deps) };
      } catch (e) {
        return spokenFailure(e, deps, step);
      }
    }
    const s = Number.parseInt(req.query.s ?? '', 10);
    return {
      twiml: await runStep({
        callSid,
        step: `agent-${step}`,
        s,
        params: req.params,
        baseUrl: req.baseUrl,
        deps,
        steps: AGENT_STEPS,
        selfUrl: `/twilio/agent/${encodeURIComponent(step)}?s=${s}`,
        unstored: () => unstoredStart(req, deps),
      }),
    };
  };
}

/**
 * First request of an agent's call (redirected from `/twilio/voice`): the id prompt. It only asks, so
 * nothing is stored: the id step stores the call (step-runner.ts `firstAnswered`), and a retried start
 * is simply asked again.
 */
async function start(req: TwilioRequest, deps: FlowDeps): Promise<string> {
  const first = await unstoredStart(req, deps);
  // Only the agents' line may start a sign-in; any other number reaching this URL is a misrouting.
  return first?.twiml ?? deps.twiml.render({ language: 'en-US', verbs: [say('unknown-line'), { kind: 'hangup' }] }, req.baseUrl);
}

/** The agent's first prompt and the state it leaves, rebuilt from the request; undefined off the agents' line. */
async function unstoredStart(req: TwilioRequest, deps: FlowDeps): Promise<FirstPrompt | undefined> {
  const config = await deps.directory.config();
  if (normalizeE164(req.params.To) !== config.agentsLine) return undefined;
  const { state, verbs } = startAgentCall(req.params, deps.now().toISOString());
  return { state, twiml: deps.twiml.render({ language: state.language, verbs }, req.baseUrl) };
}

/**
 * TaskRouter's assignment callback: JSON, not TwiML. A failure rejects the reservation, so TaskRouter
 * offers the task to another worker instead of waiting out the reservation timeout.
 */
async function assignment(req: TwilioRequest, deps: FlowDeps): Promise<{ json: unknown }> {
  try {
    return { json: await assignmentInstruction(req.params, req.baseUrl, deps) };
  } catch (e) {
    deps.log?.('error', 'assignment callback failed', { error: e instanceof Error ? e.stack : String(e) });
    return { json: { instruction: 'reject' } };
  }
}

function spokenFailure(e: unknown, deps: FlowDeps, step: string) {
  deps.log?.('error', 'agent webhook failed', { step, error: e instanceof Error ? e.stack : String(e) });
  return { language: 'en-US', verbs: [say(e instanceof StoreUnavailableError ? 'error-store' : 'error-generic'), { kind: 'hangup' as const }] };
}
