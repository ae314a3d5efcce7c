/**
 * The priority menu and choice (contract §2.5): the levels the plan and service allow (only those answered
 * around the clock when the service is closed), lowered by the plan, the service or fair use, and said so.
 */
import type { CallState } from '../../domain/call-state.js';
import { msg, say, type Verb } from '../../domain/decisions.js';
import { StoreUnavailableError } from '../../domain/errors.js';
import { effectiveHours, holidaysFor } from '../../domain/hours.js';
import type { LineConfig, Organization, PriorityLevel } from '../../domain/model.js';
import { allowedLevels, applyFairUse, choosePriority, fairUseWindowMs, openLevelsWhenClosed } from '../../domain/priority.js';
import { serviceName } from '../../domain/service-name.js';
import type { Ticket } from '../../domain/tickets.js';
import { retryOrEnd, type StepInput, type StepOutcome } from '../answers.js';
import type { FlowDeps } from '../ports.js';
import { callContext, contextOf, end, gather } from './context.js';
import { enqueueVerb } from './queue.js';
import { spokenWindow } from './speech.js';
import { priorityMeaning } from '../../domain/speech/texts.js';
import { openTicket } from './ticket.js';

/** The one-line meaning of a level in the call's language: the data file's own, else the catalog's default (speech/texts.ts). */
function meaningOf(level: PriorityLevel, index: number, count: number, language: string): string {
  return priorityMeaning(language, level, index, count);
}

export function priorityMenu(state: CallState, input: StepInput, config: LineConfig, org: Organization, before: Verb[]): StepOutcome {
  const { scheme } = contextOf(config, state, org);
  const urgent = state.urgentOnly ? urgentLevels(config, state, org) : undefined;
  const prompt = [
    msg('priority-intro'),
    ...scheme
      .map((level, i) => ({ level, i }))
      .filter(({ i }) => !urgent || urgent.includes(i))
      .map(({ level, i }) => msg('priority-option', { meaning: meaningOf(level, i, scheme.length, state.language), digit: i + 1, level: level.id })),
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
  const choice = choosePriority({ scheme, pressed: input.digits, planMax: plan.maxPriority, serviceMax: service.maxPriority });
  const urgent = state.urgentOnly ? urgentLevels(config, state, org) : undefined;
  if (!choice.ok || (urgent && !urgent.includes(choice.index))) {
    return retryOrEnd(
      state,
      (s) => end(s, [say('priority-none')]),
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
  const { ticket, verbs } = await openTicket(state, deps, { ...context, index, status: 'waiting', note });
  // A spooled ticket is in no queue an agent reads: the caller is promised a call back, not put on hold.
  if (ticket.spooled) return end({ ...state, ticketNumber: ticket.number }, [...notes, ...verbs, say('goodbye')]);
  return {
    state: { ...state, ticketNumber: ticket.number, queue: ticket.queue, expect: 'done' },
    verbs: [...notes, ...verbs, say('queue-hold'), enqueueVerb(ticket, state, deps)],
  };
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
