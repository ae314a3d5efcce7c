/**
 * Entitlement and hours (contract §2.4): may this caller have phone support for this service, and is it
 * open now? Closed: the hours are read out and a callback ticket offered, with the levels answered around
 * the clock if the scheme has any.
 */
import type { CallState } from '../../domain/call-state.js';
import { msg, say, type Verb } from '../../domain/decisions.js';
import { checkEntitlement } from '../../domain/entitlement.js';
import { effectiveHours, holidaysFor, isOpen } from '../../domain/hours.js';
import { allowedLevels, openLevelsWhenClosed } from '../../domain/priority.js';
import { serviceName } from '../../domain/service-name.js';
import { retryOrEnd, type StepInput, type StepOutcome } from '../answers.js';
import type { FlowDeps } from '../ports.js';
import { contextOf, end, gather, lineOf, orgOf } from './context.js';
import { priorityMenu, urgentLevels } from './priority.js';
import { spokenDate, spokenHours, localDate } from './speech.js';
import { openTicket } from './ticket.js';

export async function entitle(state: CallState, input: StepInput, deps: FlowDeps, before: Verb[]): Promise<StepOutcome> {
  const config = await deps.directory.config();
  const org = await orgOf(state, deps);
  const plan = config.plans[org.plan]!;
  const service = config.services[state.service!]!;
  const person = org.people.find((p) => p.phone === state.from);
  const now = deps.now();
  const verdict = checkEntitlement({ plan, service: state.service!, role: state.role ?? 'admin', org, person: state.verifiedBy === 'caller-id' ? person : undefined, now });
  const spokenService = serviceName(config.services, state.service!, state.language);
  if (!verdict.ok) {
    const id = ({ 'no-phone-support': 'not-entitled-no-phone', 'service-not-in-plan': 'not-entitled-service', 'role-not-allowed': 'not-entitled-role', barred: 'barred' } as const)[verdict.reason];
    return end(state, [...before, say(id, { service: spokenService, until: spokenDate(verdict.until ?? '', lineOf(config, state), state.language) })]);
  }
  const { line, scheme } = contextOf(config, state, org);
  const { hours, holidaysApply } = effectiveHours({ service, plan });
  const holidays = holidaysApply ? holidaysFor(config.holidays, state.country) : [];
  if (isOpen(hours, now, line.timezone, holidays)) return priorityMenu({ ...state, urgentOnly: false, tries: 0 }, input, config, org, before);

  // Closed: tell the hours; offer a callback ticket, and the levels answered around the clock if any.
  const { cap } = allowedLevels({ scheme, planMax: plan.maxPriority, serviceMax: service.maxPriority });
  const urgent = openLevelsWhenClosed({ scheme, at: now, timeZone: line.timezone, holidays, cap });
  const todayHoliday = holidays.includes(localDate(now, line.timezone));
  const closedVerbs = [...before, say('closed', { service: spokenService, hours: spokenHours(hours, state.language) }), ...(todayHoliday ? [say('closed-holiday')] : [])];
  const prompt = urgent.length ? [msg('callback-or-urgent-prompt', { levels: urgent.map((i) => scheme[i]!.id).join(', ') })] : [msg('callback-prompt')];
  return gather({ ...state, expect: 'callback', urgentOnly: urgent.length > 0, tries: 0 }, input, closedVerbs, prompt, { numDigits: 1 });
}

/** Closed hours: 1 is a callback ticket; 2, where offered, the levels answered around the clock. */
export async function callbackStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const config = await deps.directory.config();
  const org = await orgOf(state, deps);
  if (input.digits === '1') {
    const context = contextOf(config, state, org);
    // A callback is a request to be called back, not an emergency: the least urgent level the caller may have.
    const index = context.scheme.length - 1;
    const { ticket, verbs } = await openTicket(state, deps, { ...context, index, status: 'callback' });
    return end({ ...state, ticketNumber: ticket.number }, [...verbs, say('callback-created'), say('goodbye')]);
  }
  if (input.digits === '2' && state.urgentOnly) return priorityMenu({ ...state, tries: 0 }, input, config, org, []);
  if (!input.digits) return end(state, [say('callback-none')]);
  return retryOrEnd(
    state,
    (s) => end(s, [say('callback-none')]),
    (s) => {
      const scheme = config.schemes[lineOf(config, s).scheme]!;
      const levels = s.urgentOnly ? urgentLevels(config, s, org).map((i) => scheme[i]!.id).join(', ') : '';
      return gather(s, input, [say('menu-invalid')], [msg(s.urgentOnly ? 'callback-or-urgent-prompt' : 'callback-prompt', { levels })], { numDigits: 1 });
    },
  );
}
