/**
 * The two shapes every step of both flows ends in: ask for keys (a Gather whose action is the next step,
 * posting even on silence so every prompt's "no input" is handled by the flow, not by Twilio falling
 * through), or say a last word and hang up; and the one rule for a prompt answered wrongly or not at all
 * (`retryOrEnd`).
 */
import { stepUrl, type CallState, type StepName } from '../domain/call-state.js';
import type { Message, Verb } from '../domain/decisions.js';
import type { StepWrite } from './ports.js';

/** How many times a prompt is asked in all before the line gives up or takes the default (contract §2.1). */
export const MAX_TRIES = 3;

/** Facts of one request that every step may need. */
export interface StepInput {
  digits: string;
  params: Record<string, string>;
  /** Sequence number of the step being answered; the next step's URLs carry `s + 1`. */
  s: number;
  /** Writes of earlier runs of this very request that the store refused (`StepOutcome.writes`): choose otherwise. */
  refused?: readonly StepWrite[];
}

/** The result of a step: the state to commit (with `expect` set) and the answer to give. */
export interface StepOutcome {
  state: CallState;
  verbs: Verb[];
  /** Writes the answer depends on, made with the commit (ports.ts `StepWrite`). */
  writes?: StepWrite[];
  /** Best-effort work once the commit is made (a status notice): not run if it is refused or fails. */
  after?: () => Promise<void>;
}

export interface GatherOptions {
  numDigits?: number;
  finishOnKey?: string;
  timeout?: number;
  /** Extra query for the action URL (`&r=...`), covered by Twilio's signature like the rest. */
  query?: string;
}

/** Asks for the step `state.expect` as step number `s + 1`; menus (numDigits) need no finish key unless given one. */
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
        // A fixed-length entry may still be ended by `#` when the options name it (the 6-digit code).
        finishOnKey: opts.finishOnKey ?? (opts.numDigits ? '' : '#'),
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

/**
 * A prompt was not answered usefully: ask again (with `tries` counted) until it has been asked
 * `MAX_TRIES` times, then give up. `giveUp` gets the state as it was, `again` the state with the try counted.
 */
export function retryOrEnd<A, B>(state: CallState, giveUp: (state: CallState) => A, again: (state: CallState) => B): A | B {
  return retryCountOrEnd(
    state.tries,
    () => giveUp(state),
    (tries) => again({ ...state, tries }),
  );
}

/** The same rule where the tries are counted outside a call's state (the survey's, in its URL): `tries` failed before this one. */
export function retryCountOrEnd<A, B>(tries: number, giveUp: () => A, again: (tries: number) => B): A | B {
  const counted = tries + 1;
  return counted >= MAX_TRIES ? giveUp() : again(counted);
}
