/**
 * The priority menu and choice (contract §2.5): the levels the plan and service allow (only those answered
 * around the clock when the service is closed), lowered by the plan, the service or fair use, and said so.
 */
import type { CallState } from '../../domain/call-state.js';
import { msg, say, type Message, type Verb } from '../../domain/decisions.js';
import { StoreUnavailableError } from '../../domain/errors.js';
import { effectiveHours, holidaysFor } from '../../domain/hours.js';
import type { LineConfig, Organization, PriorityLevel } from '../../domain/model.js';
import { allowedLevels, applyFairUse, choosePriority, fairUseWindowMs, openLevelsWhenClosed } from '../../domain/priority.js';
import { serviceName } from '../../domain/service-name.js';
import type { Ticket } from '../../domain/tickets.js';
import { retryOrEnd, type StepInput, type StepOutcome } from '../answers.js';
import type { FlowDeps } from '../ports.js';
import { callContext, contextOf, gather, wantsRepeat, type CallContext } from './context.js';
import { leaveCallback, queueNewTicket } from './open-ticket.js';
import { spokenWindow } from './speech.js';

/** A level's option: its own meaning from the data file, else the catalog's short one (4 levels; else first and last fixed). */
function optionOf(level: PriorityLevel, index: number, count: number, language: string): Message {
  const digit = index + 1;
  const primary = language.split('-')[0]!;
  // An English meaning is no meaning on a German line (contract §2.10): the catalog's own short one instead.
  const own = level.meaning?.[language] ?? level.meaning?.[primary] ?? (primary === 'en' ? level.meaning?.en : undefined);
  if (own) return msg('priority-option', { meaning: own, digit, level: level.id });
  const slot = (count === 4 ? index : index === 0 ? 0 : index === count - 1 ? 3 : Math.min(2, index)) as 0 | 1 | 2 | 3;
  const id = ({ 0: 'priority-option-outage', 1: 'priority-option-critical', 2: 'priority-option-workaround', 3: 'priority-option-question' } as const)[slot];
  return msg(id, { digit, level: level.id });
}

export function priorityMenu(state: CallState, input: StepInput, config: LineConfig, org: Organization, before: Verb[]): StepOutcome {
  const { scheme } = contextOf(config, state, org);
  const urgent = state.urgentOnly ? urgentLevels(config, state, org) : undefined;
  const prompt = [
    msg('priority-intro'),
    ...scheme
      .map((level, i) => ({ level, i }))
      .filter(({ i }) => !urgent || urgent.includes(i))
      .map(({ level, i }) => optionOf(level, i, scheme.length, state.language)),
  ];
  return gather({ ...state, expect: 'priority' }, input, before, prompt, { numDigits: 1, timeout: 8 });
}

/** The levels answered around the clock, as of the call's start (the menu and the choice must agree). */
export function urgentLevels(config: LineConfig, state: CallState, org: Organization): number[] {
  const { line, plan, service, scheme } = contextOf(config, state, org);
  const { cap } = allowedLevels({ scheme, planMax: plan.maxPriority, serviceMax: service.maxPriority });
  const { holidaysApply } = effectiveHours({ service, plan });
  const holidays = holidaysApply ? holidaysFor(config.holidays, state.country) : [];
  return openLevelsWhenClosed({ scheme, at: new Date(state.createdAt), timeZone: line.timezone, holidays, cap });
}

export async function priorityStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const context = await callContext(state, deps);
  const { config, org, plan, service, scheme } = context;
  if (wantsRepeat(input)) return priorityMenu(state, input, config, org, []);
  // `0`, or no usable answer after every try: the least urgent level, queued (contract §2.7 v2).
  if (input.digits === '0') return skipToLowest(state, input, deps, context);
  const choice = choosePriority({ scheme, pressed: input.digits, planMax: plan.maxPriority, serviceMax: service.maxPriority });
  const urgent = state.urgentOnly ? urgentLevels(config, state, org) : undefined;
  if (!choice.ok || (urgent && !urgent.includes(choice.index))) {
    return retryOrEnd(
      state,
      (s) => skipToLowest(s, input, deps, context, input.digits ? [say('priority-invalid')] : []),
      (s) => priorityMenu(s, input, config, org, input.digits ? [say('priority-invalid')] : []),
    );
  }
  const notes: Verb[] = [];
  let index = choice.index;
  let note: Ticket['priorityNote'];
  if (choice.loweredBy) {
    note = choice.loweredBy === 'service' ? 'lowered-by-service' : 'lowered-by-plan';
    notes.push(
      choice.loweredBy === 'service'
        ? say('priority-lowered-service', { service: serviceName(config.services, state.service!, state.language), level: scheme[index]!.id })
        : say('priority-lowered-plan', { level: scheme[index]!.id }),
    );
  }
  if (index === 0 && plan.fairUse) {
    const windowMs = fairUseWindowMs(plan.fairUse);
    const since = new Date(deps.now().getTime() - windowMs).toISOString();
    const recentTopCount = await countTopTickets(org.id, since, scheme[0]!.id, deps);
    const fair = applyFairUse({ index, scheme, fairUse: plan.fairUse, recentTopCount });
    if (fair.lowered) {
      index = fair.index;
      note = 'lowered-by-fair-use';
      notes.push(say('priority-fair-use', { top: scheme[0]!.id, level: scheme[index]!.id, window: spokenWindow(windowMs, state.language) }));
    }
  }
  return queueNewTicket(state, input, deps, { ...context, index, status: 'waiting', note }, notes);
}

/**
 * The caller skipped the questions (`0`) or gave no usable answer: a ticket at the least urgent level, queued.
 * When only the levels answered around the clock are offered (the service is closed), that level is not
 * answered now: the ticket is a callback instead.
 */
async function skipToLowest(state: CallState, input: StepInput, deps: FlowDeps, context: CallContext, before: Verb[] = []): Promise<StepOutcome> {
  const index = context.scheme.length - 1;
  const level = context.scheme[index]!.id;
  if (state.urgentOnly) return leaveCallback(state, input, deps, context, before);
  return queueNewTicket({ ...state, tries: 0 }, input, deps, { ...context, index, status: 'waiting' }, [...before, say('priority-skipped', { level })]);
}

/**
 * Fair use counts the organization's recent top-priority tickets. If DynamoDB cannot count them, the
 * caller gets the benefit of the doubt rather than losing the call: the ticket goes on to the spool path.
 */
async function countTopTickets(org: string, since: string, priority: string, deps: FlowDeps): Promise<number> {
  try {
    return await deps.tickets.countByOrgSince(org, since, priority);
  } catch (e) {
    if (!(e instanceof StoreUnavailableError)) throw e;
    deps.log?.('warn', 'fair use not counted: store unavailable', { org });
    return 0;
  }
}
