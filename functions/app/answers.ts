/**
 * The two shapes every step of both flows ends in: ask for keys (a Gather whose action is the next step,
 * posting even on silence so every prompt's "no input" is handled by the flow, not by Twilio falling
 * through), or say a last word and hang up.
 */
import { stepUrl, type CallState, type StepName } from '../domain/call-state.js';
import type { Message, Verb } from '../domain/decisions.js';

/** The result of a step: the state to commit (with `expect` set) and the answer to give. */
export interface StepOutcome {
  state: CallState;
  verbs: Verb[];
}

export interface GatherOptions {
  numDigits?: number;
  finishOnKey?: string;
  timeout?: number;
  /** Extra query for the action URL (`&r=...`), covered by Twilio's signature like the rest. */
  query?: string;
}

/** Asks for the step `state.expect` as step number `s + 1`; menus (numDigits) need no finish key. */
export function gatherStep(state: CallState, s: number, before: Verb[], prompt: Message[], opts: GatherOptions = {}): StepOutcome {
  return {
    state,
    verbs: [
      ...before,
      {
        kind: 'gather',
        prompt,
        action: stepUrl(state.expect as StepName, s + 1) + (opts.query ?? ''),
        numDigits: opts.numDigits,
        finishOnKey: opts.numDigits ? '' : (opts.finishOnKey ?? '#'),
        timeout: opts.timeout ?? 6,
        actionOnEmptyResult: true,
      },
    ],
  };
}

/** Says the last words and hangs up; the call expects no further step. */
export function endCall(state: CallState, verbs: Verb[]): StepOutcome {
  return { state: { ...state, expect: 'done' }, verbs: [...verbs, { kind: 'hangup' }] };
}
