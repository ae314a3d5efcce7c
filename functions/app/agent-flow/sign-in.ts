/**
 * Sign-in on the agents' line (contract §3): welcome, the agent's id, then the PIN. Nothing the caller hears
 * tells whether an id exists; wrong PINs lock the id for the calling number (pin-audit.ts records them).
 */
import type { CallState } from '../../domain/call-state.js';
import { normalizeE164 } from '../../domain/caller-id.js';
import { msg, say, type Verb } from '../../domain/decisions.js';
import { isKeyedId, isLocked, MAX_SIGN_IN_FAILURES } from '../../domain/agents.js';
import { gatherStep, retryOrEnd, type StepInput, type StepOutcome } from '../answers.js';
import type { AgentLockStore, FlowDeps } from '../ports.js';
import { end, goodbye, LINE_LANGUAGE } from './context.js';
import { offerNextCaller } from './next-caller.js';
import { pinFailureAudit } from './pin-audit.js';

/**
 * Verified in place of a missing agent's hash, so an unknown id costs the same scrypt time as a known one
 * and response timing does not tell which ids exist. It matches no PIN (its hash is not scrypt's output).
 */
const DUMMY_PIN_HASH = `scrypt$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;

/** The first answer of the agents' line, and its state: welcome, then the id prompt. */
export function startAgentCall(params: Record<string, string>, nowIso: string): StepOutcome {
  const state: CallState = {
    callSid: params.CallSid!,
    kind: 'agent',
    from: normalizeE164(params.From) ?? '',
    line: normalizeE164(params.To) ?? '',
    country: '',
    language: LINE_LANGUAGE,
    createdAt: nowIso,
    n: 1,
    expect: 'agent-id',
    tries: 0,
  };
  return idPrompt(state, 0, [say('agent-welcome')]);
}

export async function idStep(state: CallState, input: StepInput): Promise<StepOutcome> {
  if (!input.digits) return retryOrEnd(state, goodbye, (s) => idPrompt(s, input.s));
  // Any id goes on to the PIN prompt: whether it exists is told by nothing the caller hears.
  return pinPrompt({ ...state, agentId: input.digits.slice(0, 20), expect: 'agent-pin', tries: 0 }, input.s);
}

export async function pinStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const locks = lockStore(deps);
  // Silence is not a wrong PIN: ask again (it counts toward no lockout), then give up.
  if (!input.digits) return retryOrEnd(state, goodbye, (s) => pinPrompt(s, input.s));
  const id = state.agentId ?? '';
  const nowMs = deps.now().getTime();
  const keyed = isKeyedId(id);
  // Locks are per calling number (contract §3 v2): a stranger's wrong PINs never lock the agent's own phone out.
  const caller = state.from;
  // A locked id is refused before its PIN is looked at, so guessing on during a lock learns nothing.
  const lock = keyed ? await locks.get(id, caller) : undefined;
  if (isLocked(lock, nowMs)) return end(state, [say('agent-locked')]);
  const agent = keyed ? await deps.directory.agentById(id) : undefined;
  const pinMatches = await deps.pins.verify(input.digits, agent?.pinHash ?? DUMMY_PIN_HASH);
  if (agent && pinMatches && isKeyedId(input.digits)) {
    // Only a number with wrong PINs on record has a count to clear: most sign-ins write nothing here.
    if (lock) await locks.clear(id, nowMs, caller);
    deps.log?.('info', 'agent signed in', { agent: agent.id, callSid: state.callSid });
    const signedIn: CallState = { ...state, signedIn: true, language: agent.languages[0] ?? LINE_LANGUAGE, signInFailures: 0, tries: 0 };
    return offerNextCaller(signedIn, input, deps, [say('agent-signed-in', { name: agent.name })]);
  }
  // Unknown ids are counted too: they lock like real ones, so a lock does not reveal that an id exists.
  const failure = keyed ? await locks.recordFailure(id, `${state.callSid}:${input.s}`, nowMs, caller) : undefined;
  if (failure) await pinFailureAudit(state, id, failure, deps);
  deps.metric?.('AgentSignInFailed');
  deps.log?.('warn', 'agent sign-in failed', { callSid: state.callSid, locked: failure?.locked ?? false });
  if (failure?.locked) return end(state, [say('agent-denied'), say('agent-locked')]);
  const failures = (state.signInFailures ?? 0) + 1;
  if (failures >= MAX_SIGN_IN_FAILURES) return end({ ...state, signInFailures: failures }, [say('agent-denied'), say('agent-too-many')]);
  return idPrompt({ ...state, agentId: undefined, signInFailures: failures, tries: 0 }, input.s, [say('agent-denied')]);
}

function idPrompt(state: CallState, s: number, before: Verb[] = []): StepOutcome {
  return gatherStep({ ...state, expect: 'agent-id' }, s, before, [msg('agent-id-prompt')], { finishOnKey: '#', timeout: 10 });
}

function pinPrompt(state: CallState, s: number): StepOutcome {
  return gatherStep(state, s, [], [msg('agent-pin-prompt')], { finishOnKey: '#', timeout: 10 });
}

function lockStore(deps: FlowDeps): AgentLockStore {
  if (!deps.agentLocks) throw new Error('the agents line needs deps.agentLocks (wiring.ts builds it)');
  return deps.agentLocks;
}
