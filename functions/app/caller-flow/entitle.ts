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
import { contextOf, end, gather, lineOf, orgOf, wantsRepeat } from './context.js';
import { findOpenTicket, leaveCallback, offerOpenTicket } from './open-ticket.js';
import { priorityMenu, urgentLevels } from './priority.js';
import { spokenDate, spokenHours, localDate } from './speech.js';

export async function entitle(state: CallState, input: StepInput, deps: FlowDeps, before: Verb[]): Promise<StepOutcome> {
  const config = await deps.directory.config();
  const org = await orgOf(state, deps);
  const plan = config.plans[org.plan]!;
  const service = config.services[state.service!]!;
  const person = org.people.find((p) => p.phone === state.from);
  const now = deps.now();
  const verdict = checkEntitlement({
    plan,
    service: state.service!,
    role: state.role ?? 'admin',
    org,
    person: state.verifiedBy === 'caller-id' ? person : undefined,
    now,
  });
  const spokenService = serviceName(config.services, state.service!, state.language);
  if (!verdict.ok) {
    const id = (
      {
        'no-phone-support': 'not-entitled-no-phone',
        'service-not-in-plan': 'not-entitled-service',
        'role-not-allowed': 'not-entitled-role',
        barred: 'barred',
      } as const
    )[verdict.reason];
    return end(state, [...before, say(id, { service: spokenService, until: spokenDate(verdict.until ?? '', lineOf(config, state), state.language) })]);
  }
  const { line, scheme } = contextOf(config, state, org);
  const { hours, holidaysApply } = effectiveHours({ service, plan });
  const holidays = holidaysApply ? holidaysFor(config.holidays, state.country) : [];
  if (isOpen(hours, now, line.timezone, holidays)) {
    const open = await findOpenTicket(state, deps);
    if (open) return offerOpenTicket({ ...state, urgentOnly: false, tries: 0 }, input, open, before);
    return priorityMenu({ ...state, urgentOnly: false, tries: 0 }, input, config, org, before);
  }

  // Closed: tell the hours; offer a callback ticket, and the levels answered around the clock if any.
  const { cap } = allowedLevels({ scheme, planMax: plan.maxPriority, serviceMax: service.maxPriority });
  const urgent = openLevelsWhenClosed({ scheme, at: now, timeZone: line.timezone, holidays, cap });
  const todayHoliday = holidays.includes(localDate(now, line.timezone));
  const closedVerbs = [
    ...before,
    say('closed', { service: spokenService, hours: spokenHours(hours, state.language) }),
    ...(todayHoliday ? [say('closed-holiday')] : []),
  ];
  const prompt = urgent.length ? [msg('callback-or-urgent-prompt', { levels: urgent.map((i) => scheme[i]!.id).join(', ') })] : [msg('callback-prompt')];
  return gather({ ...state, expect: 'callback', urgentOnly: urgent.length > 0, tries: 0 }, input, closedVerbs, prompt, { numDigits: 1 });
}

/**
 * Closed hours: 1 is a callback ticket; 2, where offered, the levels answered around the clock. `0`, or no
 * usable answer after every try, is a callback ticket too: an identified caller is never hung up on (§2.7).
 */
export async function callbackStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const config = await deps.directory.config();
  const org = await orgOf(state, deps);
  const prompt = (s: CallState, before: Verb[]) => {
    const scheme = config.schemes[lineOf(config, s).scheme]!;
    const levels = s.urgentOnly
      ? urgentLevels(config, s, org)
          .map((i) => scheme[i]!.id)
          .join(', ')
      : '';
    return gather(s, input, before, [msg(s.urgentOnly ? 'callback-or-urgent-prompt' : 'callback-prompt', { levels })], { numDigits: 1 });
  };
  if (wantsRepeat(input)) return prompt(state, []);
  if (input.digits === '1' || input.digits === '0') return leaveCallback(state, input, deps, contextOf(config, state, org), []);
  if (input.digits === '2' && state.urgentOnly) return priorityMenu({ ...state, tries: 0 }, input, config, org, []);
  return retryOrEnd(
    state,
    (s) => leaveCallback(s, input, deps, contextOf(config, s, org), input.digits ? [say('menu-invalid')] : []),
    (s) => prompt(s, input.digits ? [say('menu-invalid')] : []),
  );
}
