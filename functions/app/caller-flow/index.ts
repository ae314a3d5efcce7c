/**
 * The caller's side of the line (contract §2), one small module per stage: start, menus, identify,
 * verify (codes), entitle (hours and callback), priority, ticket and queue. Each step takes the call's
 * state and the caller's input and returns the new state and what to say; pure rules come from `domain/`,
 * I/O goes through the ports in `deps`. The step runner (../step-runner.ts) makes every step exactly-once.
 *
 * `CALLER_STEPS` maps every step a Gather can name to its handler: a step without one does not compile.
 */
import type { CallerStep } from '../../domain/call-state.js';
import type { StepFn } from '../step-runner.js';
import { callbackStep } from './entitle.js';
import { accountStep, orgStep } from './identify.js';
import { existingStep } from './open-ticket.js';
import { languageStep, menuStep } from './menus.js';
import { priorityStep } from './priority.js';
import { channelStep, codeStep } from './verify.js';

export { MAX_TRIES, type StepInput, type StepOutcome } from '../answers.js';
export { firstStep, firstStepAsksOnly, startCall, unknownLineAnswer } from './start.js';
export { languageStep, menuStep } from './menus.js';
export { accountStep, orgStep } from './identify.js';
export { existingStep } from './open-ticket.js';
export { channelStep, codeStep } from './verify.js';
export { callbackStep } from './entitle.js';
export { priorityStep } from './priority.js';
export { spoolNumber } from './ticket.js';
export { taskRouterPriority } from './queue.js';
export { estimateMinutes, queueResultAnswer, waitAnswer, waitKeyAnswer } from './waiting.js';

export const CALLER_STEPS: Record<CallerStep, StepFn> = {
  language: languageStep,
  menu: menuStep,
  org: orgStep,
  account: accountStep,
  channel: channelStep,
  code: codeStep,
  existing: existingStep,
  priority: priorityStep,
  callback: callbackStep,
};
