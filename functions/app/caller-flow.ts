/**
 * The caller's side of the line (contract §2), step by step. Each exported step takes the call's state and
 * the caller's input and returns the new state and what to say; pure rules (hours, entitlement, priority,
 * codes, SLA) come from `domain/`, and I/O goes through the ports in `deps`. The step runner
 * (`step-runner.ts`) makes every step exactly-once across Twilio's retries.
 */
import { generateCode, CODE_POLICY, isCodeShaped } from '../domain/codes.js';
import { maskEmail, normalizeE164, phoneEnding, servedCountry } from '../domain/caller-id.js';
import { msg, say, type Message, type Verb, type VoiceAnswer } from '../domain/decisions.js';
import { checkEntitlement } from '../domain/entitlement.js';
import { effectiveHours, holidaysFor, hoursSummary, isOpen } from '../domain/hours.js';
import { digitByDigit } from '../domain/messages/catalog.js';
import type { Line, LineConfig, Organization, Plan, PriorityLevel } from '../domain/model.js';
import { allowedLevels, applyFairUse, choosePriority, fairUseWindowMs, openLevelsWhenClosed } from '../domain/priority.js';
import { dueAt } from '../domain/sla.js';
import { queueName, type Ticket } from '../domain/tickets.js';
import type { CallState, CallerStep } from '../domain/call-state.js';
import { isRescuable, rescueToken } from '../domain/call-rescue.js';
import { DeliveryFailedError, StoreUnavailableError } from '../domain/errors.js';
import { codeMatches, hashCode } from '../adapters/crypto/code-hash.js';
import type { Channel } from '../ports.js';
import type { FlowDeps } from './deps.js';
import { endCall, gatherStep, type GatherOptions, type StepOutcome } from './answers.js';
import { serviceName } from '../domain/service-name.js';

/** How many times a prompt is asked in all before the line gives up or takes the default (contract §2.1). */
export const MAX_TRIES = 3;

export type { StepOutcome };

/** Facts of one request that every step may need. */
export interface StepInput {
  digits: string;
  params: Record<string, string>;
  /** Sequence number of the step being answered; the next step's URLs carry `s + 1`. */
  s: number;
}

const ATTESTATION_A = 'TN-Validation-Passed-A';

// ---------------------------------------------------------------- entry

/**
 * First webhook of an inbound call: which line and the caller's country, as the call's initial state
 * (step 0, `expect: 'start'`). Nothing is said or sent here: the first prompt is `firstStep`, which the
 * step runner claims like every later step, so a retried first webhook cannot send a second code.
 */
export async function startCall(params: Record<string, string>, deps: FlowDeps): Promise<{ kind: 'unknown-line' } | { kind: 'agents-line' } | { kind: 'caller'; state: CallState }> {
  const config = await deps.directory.config();
  const to = normalizeE164(params.To) ?? '';
  if (to && to === config.agentsLine) return { kind: 'agents-line' };
  const line = config.lines.find((l) => l.number === to);
  if (!line) return { kind: 'unknown-line' };
  const from = normalizeE164(params.From) ?? '';
  const state: CallState = {
    callSid: params.CallSid!,
    kind: 'caller',
    from,
    line: line.number,
    country: servedCountry(line.countries, from),
    language: line.language,
    createdAt: deps.now().toISOString(),
    n: 0,
    expect: 'start',
    tries: 0,
  };
  return { kind: 'caller', state };
}

/** Step 0: the greeting and the first prompt (language or extension menu, or straight to identification). */
export async function firstStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const config = await deps.directory.config();
  const line = lineOf(config, state);
  const languages = line.languages ?? [];
  if (languages.length > 1) return languageMenu(state, input, languages, [say('greeting')]);
  return afterLanguage(state, input, line, config, deps, [say('greeting')]);
}

export function unknownLineAnswer(): VoiceAnswer {
  return { language: 'en-US', verbs: [say('unknown-line'), { kind: 'hangup' }] };
}

// ---------------------------------------------------------------- language and extension menus

/**
 * Up to nine languages are one key each. A line offering more (a collaboration suite's 14) needs two-key
 * choices ("press 12"), so the Gather then takes keys until `#` or a short pause instead of stopping at
 * the first key, which would make options 10 and up unreachable.
 */
function languageMenu(state: CallState, input: StepInput, languages: string[], before: Verb[] = []): StepOutcome {
  const prompt = languages.map((lang, i) => msg('language-option', { name: languageName(lang), digit: i + 1 }));
  const keys = languages.length > 9 ? { finishOnKey: '#', timeout: 4 } : { numDigits: 1 };
  return gather({ ...state, expect: 'language' }, input, before, prompt, keys);
}

/** A language's name in itself, so each caller recognizes their own ("Polski", "Deutsch"). */
function languageName(tag: string): string {
  try {
    const name = new Intl.DisplayNames([tag], { type: 'language' }).of(tag);
    return name ? name.charAt(0).toUpperCase() + name.slice(1) : tag;
  } catch {
    return tag;
  }
}

export async function languageStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const config = await deps.directory.config();
  const line = lineOf(config, state);
  const languages = line.languages ?? [line.language];
  const chosen = /^[1-9]\d?$/.test(input.digits) ? languages[Number(input.digits) - 1] : undefined;
  if (chosen) return afterLanguage({ ...state, language: chosen, tries: 0 }, input, line, config, deps);
  const tries = state.tries + 1;
  if (tries >= MAX_TRIES) return afterLanguage({ ...state, tries: 0 }, input, line, config, deps);
  return languageMenu({ ...state, tries }, input, languages, input.digits ? [say('menu-invalid')] : []);
}

async function afterLanguage(state: CallState, input: StepInput, line: Line, config: LineConfig, deps: FlowDeps, before: Verb[] = []): Promise<StepOutcome> {
  const extensions = line.extensions ?? {};
  if (Object.keys(extensions).length > 0) return extensionMenu({ ...state, tries: 0 }, input, line, config, before);
  const service = line.defaultService ?? Object.keys(config.services)[0]!;
  return identify({ ...state, service, tries: 0 }, input, deps, before);
}

function extensionMenu(state: CallState, input: StepInput, line: Line, config: LineConfig, before: Verb[]): StepOutcome {
  const prompt = Object.entries(line.extensions ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([digit, service]) => msg('menu-option', { service: serviceName(config.services, service, state.language), digit }));
  // What is said before the options (the greeting, an apology) goes inside the Gather too: a caller who
  // knows the extension may press it during the greeting (contract §2.1); keys pressed during a Say
  // outside a Gather are lost.
  const spoken = before.flatMap((v) => (v.kind === 'say' ? [v.message] : []));
  const other = before.filter((v) => v.kind !== 'say');
  return gather({ ...state, expect: 'menu' }, input, other, [...spoken, ...prompt], { numDigits: 1 });
}

export async function menuStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const config = await deps.directory.config();
  const line = lineOf(config, state);
  const service = /^\d$/.test(input.digits) ? line.extensions?.[input.digits] : undefined;
  if (service) return identify({ ...state, service, tries: 0 }, input, deps);
  const tries = state.tries + 1;
  if (tries >= MAX_TRIES) {
    if (line.defaultService) {
      return identify({ ...state, service: line.defaultService, tries: 0 }, input, deps, [say('menu-default', { service: serviceName(config.services, line.defaultService, state.language) })]);
    }
    return end(state, [say('menu-none')]);
  }
  return extensionMenu({ ...state, tries }, input, line, config, input.digits ? [say('menu-invalid')] : []);
}

// ---------------------------------------------------------------- identification (contract §2.2)

/** Caller ID first: a registered person whose organization trusts caller ID (or STIR/SHAKEN attestation A). */
async function identify(state: CallState, input: StepInput, deps: FlowDeps, before: Verb[] = []): Promise<StepOutcome> {
  const matches = state.from ? await deps.directory.peopleByPhone(state.from) : [];
  const orgs = new Set(matches.map((m) => m.org.id));
  if (orgs.size === 1) {
    const { org, person } = matches[0]!;
    const trust = trustsCallerId(org, input.params);
    if (trust.trusted) {
      await audit(deps, state, org.id, trust.method, 'verified');
      const next = { ...state, orgId: org.id, personName: person.name, role: person.role, verifiedBy: 'caller-id' as const };
      return entitle(next, input, deps, [...before, say('caller-known', { name: person.name, org: org.name })]);
    }
    if (org.verification === 'stir-shaken') await audit(deps, state, org.id, 'stir-shaken', 'attestation-missing');
    // Known organization, but its policy wants a code: no account number needed, the code goes to its contacts.
    return offerChannels({ ...state, orgId: org.id, personName: person.name, role: person.role }, input, org, deps, before);
  }
  return gather({ ...state, expect: 'account', tries: 0 }, input, before, [msg('account-prompt')], { finishOnKey: '#', timeout: 10 });
}

function trustsCallerId(org: Organization, params: Record<string, string>): { trusted: boolean; method: 'caller-id' | 'stir-shaken' } {
  if (org.verification === 'caller-id') return { trusted: true, method: 'caller-id' };
  if (org.verification === 'stir-shaken') return { trusted: params.StirVerstat === ATTESTATION_A, method: 'stir-shaken' };
  return { trusted: false, method: 'caller-id' };
}

export async function accountStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  // Only plausible account numbers are looked up: digits, 4 to 20 of them (a 10,000-digit entry is not).
  const account = /^\d{4,20}$/.test(input.digits) ? input.digits : undefined;
  const org = account ? await deps.directory.orgByAccount(account) : undefined;
  if (!org) {
    const tries = state.tries + 1;
    if (tries >= MAX_TRIES) return end(state, [...(input.digits ? [say('account-invalid')] : []), say('account-too-many')]);
    return gather({ ...state, tries }, input, input.digits ? [say('account-invalid')] : [], [msg('account-prompt')], { finishOnKey: '#', timeout: 10 });
  }
  await audit(deps, state, org.id, 'account', 'account-found');
  const person = org.people.find((p) => p.phone === state.from);
  if (person) {
    const trust = trustsCallerId(org, input.params);
    if (trust.trusted) {
      await audit(deps, state, org.id, trust.method, 'verified');
      return entitle({ ...state, orgId: org.id, personName: person.name, role: person.role, verifiedBy: 'caller-id', tries: 0 }, input, deps, [
        say('caller-known', { name: person.name, org: org.name }),
      ]);
    }
  }
  return offerChannels({ ...state, orgId: org.id, tries: 0 }, input, org, deps, []);
}

// ---------------------------------------------------------------- verification codes (contract §2.3)

function channelsOf(org: Organization, failed: readonly Channel[] = []): Channel[] {
  const out: Channel[] = [];
  if (org.contacts.phone && !failed.includes('sms')) out.push('sms');
  if (org.contacts.email && !failed.includes('email')) out.push('email');
  return out;
}

function channelPrompt(org: Organization, channels: Channel[]): Message[] {
  return channels.map((c) =>
    c === 'sms' ? msg('channel-prompt-sms', { last: phoneEnding(org.contacts.phone!) }) : msg('channel-prompt-email', { address: maskEmail(org.contacts.email!) }),
  );
}

async function offerChannels(state: CallState, input: StepInput, org: Organization, deps: FlowDeps, before: Verb[], failed: Channel[] = []): Promise<StepOutcome> {
  const channels = channelsOf(org, failed);
  if (channels.length === 0) return end(state, [...before, say(failed.length ? 'code-send-failed-final' : 'no-channel')]);
  if (channels.length === 1) return sendCode(state, input, org, channels[0]!, deps, before, failed);
  return gather({ ...state, expect: 'channel', tries: 0 }, input, before, channelPrompt(org, channels), { numDigits: 1 });
}

export async function channelStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const org = await orgOf(state, deps);
  const channel: Channel | undefined = input.digits === '1' ? 'sms' : input.digits === '2' ? 'email' : undefined;
  const available = channelsOf(org);
  if (channel && available.includes(channel)) return sendCode(state, input, org, channel, deps, []);
  const tries = state.tries + 1;
  if (tries >= MAX_TRIES) return end(state, [say('goodbye')]);
  return gather({ ...state, tries }, input, input.digits ? [say('channel-invalid')] : [], channelPrompt(org, available), { numDigits: 1 });
}

async function sendCode(state: CallState, input: StepInput, org: Organization, channel: Channel, deps: FlowDeps, before: Verb[], failed: Channel[] = []): Promise<StepOutcome> {
  const nowMs = deps.now().getTime();
  const method = channel === 'sms' ? 'code-sms' : 'code-email';
  if (!(await deps.codes.reserveSend(org.id, nowMs))) {
    await audit(deps, state, org.id, method, 'rate-limited');
    deps.metric?.('VerificationFailed');
    return end(state, [...before, say('code-rate-limited')]);
  }
  const code = generateCode(deps.randomInt);
  const to = channel === 'sms' ? org.contacts.phone! : org.contacts.email!;
  await deps.codes.put(state.callSid, {
    hash: hashCode(await deps.codeKey(), state.callSid, code),
    orgId: org.id,
    channel,
    sentAtMs: nowMs,
    expiresAtMs: nowMs + CODE_POLICY.ttlMs,
    attempts: 0,
    used: false,
  });
  try {
    await deps.notifier.send(
      channel === 'sms'
        ? { channel, to, body: `Your support line verification code is ${code}. It is valid for 10 minutes. Never share it.` }
        : { channel, to, subject: 'Your support line verification code', body: `Your verification code is ${code}.\nIt is valid for 10 minutes and can be used once.\nIf you did not call our support line, you can ignore this email.` },
    );
  } catch (e) {
    if (!(e instanceof DeliveryFailedError)) throw e;
    deps.log?.('warn', 'code delivery failed', { channel, org: org.id });
    await audit(deps, state, org.id, method, 'send-failed');
    // Offer the other channel, or tell the caller plainly: never prompt for a code that was never sent.
    return offerChannels(state, input, org, deps, [...before, say('code-send-failed', { channel })], [...failed, channel]);
  }
  await audit(deps, state, org.id, method, 'code-sent');
  const sent = channel === 'sms' ? say('code-sent-sms', { last: phoneEnding(to) }) : say('code-sent-email', { address: maskEmail(to) });
  return gather({ ...state, expect: 'code', codeChannel: channel, tries: 0 }, input, [...before, sent], [msg('code-prompt')], { finishOnKey: '#', timeout: 12 });
}

export async function codeStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const org = await orgOf(state, deps);
  const method = state.codeChannel === 'email' ? 'code-email' : 'code-sms';
  if (!isCodeShaped(input.digits)) {
    // Silence or a malformed entry is not an attempt at the code: it costs a try of the prompt, not of the code.
    const tries = state.tries + 1;
    if (tries >= MAX_TRIES) return end(state, [say('code-none')]);
    return gather({ ...state, tries }, input, input.digits ? [say('code-bad-format')] : [], [msg('code-prompt')], { finishOnKey: '#', timeout: 12 });
  }
  const record = await deps.codes.get(state.callSid);
  const matches = !!record && codeMatches(await deps.codeKey(), state.callSid, input.digits, record.hash);
  const outcome = await deps.codes.attempt(state.callSid, matches, deps.now().getTime());
  switch (outcome.result) {
    case 'verified':
      await audit(deps, state, org.id, method, 'verified');
      // A caller verified by code speaks for the organization as an admin (contract §2.3).
      return entitle({ ...state, verifiedBy: 'code', role: 'admin', tries: 0 }, input, deps, [say('verified')]);
    case 'wrong':
      await audit(deps, state, org.id, method, 'wrong-code');
      deps.metric?.('VerificationFailed');
      return gather(state, input, [say('code-wrong', { left: outcome.left })], [msg('code-prompt')], { finishOnKey: '#', timeout: 12 });
    case 'dead':
      await audit(deps, state, org.id, method, 'code-dead');
      deps.metric?.('VerificationFailed');
      return end(state, [say('code-dead')]);
    case 'expired':
      await audit(deps, state, org.id, method, 'code-expired');
      return end(state, [say('code-expired')]);
    default:
      return end(state, [say('lost-state')]);
  }
}

// ---------------------------------------------------------------- entitlement and hours (contract §2.4)

async function entitle(state: CallState, input: StepInput, deps: FlowDeps, before: Verb[]): Promise<StepOutcome> {
  const config = await deps.directory.config();
  const org = await orgOf(state, deps);
  const plan = config.plans[org.plan]!;
  const service = config.services[state.service!]!;
  const person = org.people.find((p) => p.phone === state.from);
  const now = deps.now();
  const verdict = checkEntitlement({ plan, service: state.service!, role: state.role ?? 'admin', org, person: state.verifiedBy === 'caller-id' ? person : undefined, now });
  if (!verdict.ok) {
    const id = { 'no-phone-support': 'not-entitled-no-phone', 'service-not-in-plan': 'not-entitled-service', 'role-not-allowed': 'not-entitled-role', barred: 'barred' }[verdict.reason];
    return end(state, [...before, say(id, { service: serviceName(config.services, state.service!, state.language), until: spokenDate(verdict.until ?? '', lineOf(config, state)) })]);
  }
  const line = lineOf(config, state);
  const { hours, holidaysApply } = effectiveHours({ service, plan });
  const holidays = holidaysApply ? holidaysFor(config.holidays, state.country) : [];
  if (isOpen(hours, now, line.timezone, holidays)) return priorityMenu({ ...state, urgentOnly: false, tries: 0 }, input, config, org, before);

  // Closed: tell the hours; offer a callback ticket, and the levels answered around the clock if any.
  const scheme = config.schemes[line.scheme]!;
  const { cap } = allowedLevels({ scheme, planMax: plan.maxPriority, serviceMax: service.maxPriority });
  const urgent = openLevelsWhenClosed({ scheme, at: now, timeZone: line.timezone, holidays, cap });
  const hoursText = spokenHours(hours, state.language);
  const todayHoliday = holidays.includes(localDate(now, line.timezone));
  const closedVerbs = [...before, say('closed', { service: serviceName(config.services, state.service!, state.language), hours: hoursText }), ...(todayHoliday ? [say('closed-holiday')] : [])];
  const prompt = urgent.length
    ? [msg('callback-or-urgent-prompt', { levels: urgent.map((i) => scheme[i]!.id).join(', ') })]
    : [msg('callback-prompt')];
  return gather({ ...state, expect: 'callback', urgentOnly: urgent.length > 0, tries: 0 }, input, closedVerbs, prompt, { numDigits: 1 });
}

export async function callbackStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const config = await deps.directory.config();
  const org = await orgOf(state, deps);
  if (input.digits === '1') {
    const line = lineOf(config, state);
    const plan = config.plans[org.plan]!;
    const service = config.services[state.service!]!;
    const scheme = config.schemes[line.scheme]!;
    // A callback is a request to be called back, not an emergency: the least urgent level the caller may have.
    const index = scheme.length - 1;
    const { ticket, verbs } = await openTicket(state, deps, { config, org, plan, line, service, scheme, index, status: 'callback' });
    return end({ ...state, ticketNumber: ticket.number }, [...verbs, say('callback-created'), say('goodbye')]);
  }
  if (input.digits === '2' && state.urgentOnly) return priorityMenu({ ...state, tries: 0 }, input, config, org, []);
  if (!input.digits) return end(state, [say('callback-none')]);
  const tries = state.tries + 1;
  if (tries >= MAX_TRIES) return end(state, [say('callback-none')]);
  const scheme = config.schemes[lineOf(config, state).scheme]!;
  const levels = state.urgentOnly ? urgentLevels(config, state, org).map((i) => scheme[i]!.id).join(', ') : '';
  return gather({ ...state, tries }, input, [say('menu-invalid')], [msg(state.urgentOnly ? 'callback-or-urgent-prompt' : 'callback-prompt', { levels })], { numDigits: 1 });
}

// ---------------------------------------------------------------- priority and ticket (contract §2.5, §2.6)

/** The default one-line meanings of a 4-level scheme, and of shorter schemes (first and last always the same). */
const MEANINGS: Record<string, string[]> = {
  en: [
    'the service is down for many users with no workaround',
    'a critical problem affects one user or collaboration',
    'something is not working as expected but there is a workaround',
    'you have a question or a minor issue',
  ],
  pl: [
    'usługa nie działa dla wielu użytkowników i nie ma obejścia',
    'krytyczny problem dotyczy jednego użytkownika lub współpracy',
    'coś nie działa zgodnie z oczekiwaniami, ale istnieje obejście',
    'masz pytanie lub drobny problem',
  ],
};

function meaningOf(level: PriorityLevel, index: number, count: number, language: string): string {
  const own = level.meaning?.[language] ?? level.meaning?.[language.split('-')[0]!] ?? level.meaning?.en;
  if (own) return own;
  const list = MEANINGS[language.split('-')[0]!] ?? MEANINGS.en!;
  if (count === 4) return list[index]!;
  if (index === 0) return list[0]!;
  if (index === count - 1) return list[3]!;
  return list[Math.min(2, index)]!;
}

function priorityMenu(state: CallState, input: StepInput, config: LineConfig, org: Organization, before: Verb[]): StepOutcome {
  const line = lineOf(config, state);
  const scheme = config.schemes[line.scheme]!;
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

function urgentLevels(config: LineConfig, state: CallState, org: Organization): number[] {
  const line = lineOf(config, state);
  const plan = config.plans[org.plan]!;
  const service = config.services[state.service!]!;
  const scheme = config.schemes[line.scheme]!;
  const { cap } = allowedLevels({ scheme, planMax: plan.maxPriority, serviceMax: service.maxPriority });
  const { holidaysApply } = effectiveHours({ service, plan });
  const holidays = holidaysApply ? holidaysFor(config.holidays, state.country) : [];
  return openLevelsWhenClosed({ scheme, at: new Date(state.createdAt), timeZone: line.timezone, holidays, cap });
}

export async function priorityStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const config = await deps.directory.config();
  const org = await orgOf(state, deps);
  const line = lineOf(config, state);
  const plan = config.plans[org.plan]!;
  const service = config.services[state.service!]!;
  const scheme = config.schemes[line.scheme]!;
  const choice = choosePriority({ scheme, pressed: input.digits, planMax: plan.maxPriority, serviceMax: service.maxPriority });
  const urgent = state.urgentOnly ? urgentLevels(config, state, org) : undefined;
  if (!choice.ok || (urgent && !urgent.includes(choice.index))) {
    const tries = state.tries + 1;
    if (tries >= MAX_TRIES) return end(state, [say('priority-none')]);
    return priorityMenu({ ...state, tries }, input, config, org, input.digits ? [say('priority-invalid')] : []);
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
      notes.push(say('priority-fair-use', { top: scheme[0]!.id, level: scheme[index]!.id, window: spokenWindow(windowMs) }));
    }
  }
  const { ticket, verbs } = await openTicket(state, deps, { config, org, plan, line, service, scheme, index, status: 'waiting', note });
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

interface TicketContext {
  config: LineConfig;
  org: Organization;
  plan: Plan;
  line: Line;
  service: LineConfig['services'][string];
  scheme: PriorityLevel[];
  index: number;
  status: 'waiting' | 'callback';
  note?: Ticket['priorityNote'];
}

/**
 * Opens the call's one ticket: the number is claimed on the call's state first, so a retried or
 * concurrent request re-creates the same ticket instead of a second one. If DynamoDB is down, the
 * ticket goes to the spool and the caller still gets a reference (issue 7).
 */
async function openTicket(state: CallState, deps: FlowDeps, c: TicketContext): Promise<{ ticket: Ticket; verbs: Verb[] }> {
  const now = deps.now();
  const level = c.scheme[c.index]!;
  const { hours, holidaysApply } = effectiveHours({ service: c.service, plan: c.plan, level });
  const holidays = holidaysApply ? holidaysFor(c.config.holidays, state.country) : [];
  const due = (duration: string) => dueAt({ created: now, duration, clock: level.clock ?? '24h', hours, timeZone: c.line.timezone, holidays }).toISOString();
  const draft = (number: string): Ticket => ({
    number,
    org: c.org.id,
    orgName: c.org.name,
    plan: c.org.plan,
    service: state.service!,
    priority: level.id,
    priorityRank: c.index,
    status: c.status,
    line: state.line,
    language: state.language,
    country: state.country,
    verifiedBy: state.verifiedBy ?? 'code',
    caller: state.from,
    ...(state.personName ? { callerName: state.personName } : {}),
    createdAt: now.toISOString(),
    firstResponseDue: due(level.firstResponse),
    ...(level.restore ? { restoreDue: due(level.restore) } : {}),
    callSid: state.callSid,
    priorityQueue: !!c.plan.priorityQueue,
    tier: c.plan.tier ?? 1,
    ...(c.note ? { priorityNote: c.note } : {}),
  });
  let ticket: Ticket;
  let spooled = false;
  try {
    const candidate = await deps.tickets.allocateNumber();
    const number = await deps.calls.claimTicketNumber(state.callSid, candidate);
    const t = draft(number);
    ticket = await deps.tickets.putIfAbsent(c.status === 'waiting' ? { ...t, queue: queueName(t) } : t);
  } catch (e) {
    if (!(e instanceof StoreUnavailableError) || !deps.spool) throw e;
    // The ticket store is down: a reference the caller can quote, saved durably and replayed later.
    const number = spoolNumber(state.callSid);
    ticket = { ...draft(number), status: 'callback', spooled: true };
    await deps.spool.save(ticket);
    spooled = true;
    deps.log?.('warn', 'ticket spooled', { number, callSid: state.callSid });
  }
  if (c.index === 0 && !spooled) deps.metric?.('TopPriorityTicket');
  await confirm(ticket, c.org, state, deps);
  if (c.index === 0 && ticket.status === 'waiting' && deps.pager) {
    await deps.pager
      .page(`${ticket.priority} ticket ${ticket.number}: ${c.org.name}`, `${ticket.priority} ${ticket.service} ticket ${ticket.number} from ${c.org.name} (${c.org.plan}) on ${ticket.line}, first response due ${ticket.firstResponseDue}.`)
      .catch((e: unknown) => deps.log?.('warn', 'page failed', { error: String(e) }));
  }
  const digits = digitByDigit(ticket.number);
  if (spooled) return { ticket, verbs: [say('ticket-spooled', { digits })] };
  return {
    ticket,
    verbs: [say('ticket-number', { digits }), say('ticket-due', { level: level.id, due: spokenTime(ticket.firstResponseDue, c.line) }), say('ticket-confirmation-sent')],
  };
}

/** A reference for a spooled ticket: derived from the CallSid so a retry gets the same one; 9 digits, unlike counter numbers. */
export function spoolNumber(callSid: string): string {
  let h = 0;
  for (const ch of callSid) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return String(900_000_000 + (h % 99_999_999));
}

/** The ticket confirmation to the organization's contact, by the channel the caller was verified on or the phone. */
async function confirm(ticket: Ticket, org: Organization, state: CallState, deps: FlowDeps): Promise<void> {
  const channel: Channel | undefined = state.codeChannel ?? (org.contacts.phone ? 'sms' : org.contacts.email ? 'email' : undefined);
  if (!channel) return;
  const to = channel === 'sms' ? org.contacts.phone : org.contacts.email;
  if (!to) return;
  const due = ticket.firstResponseDue;
  const body =
    ticket.status === 'callback'
      ? `Support ticket ${ticket.number} (${ticket.priority}, ${ticket.service}) was opened by phone for ${org.name}. We will call back; first response due ${due}.`
      : `Support ticket ${ticket.number} (${ticket.priority}, ${ticket.service}) was opened by phone for ${org.name}. First response due ${due}.`;
  try {
    await deps.notifier.send(channel === 'sms' ? { channel, to, body } : { channel, to, subject: `Support ticket ${ticket.number} (${ticket.priority})`, body });
  } catch (e) {
    // A lost confirmation must not cost the caller their place: the ticket exists and is read out.
    deps.log?.('warn', 'confirmation failed', { ticket: ticket.number, error: String(e) });
  }
}

function enqueueVerb(ticket: Ticket, state: CallState, deps: FlowDeps): Verb {
  const q = `t=${ticket.number}&lang=${encodeURIComponent(state.language)}`;
  const base = { kind: 'enqueue' as const, queue: ticket.queue ?? queueName(ticket), waitUrl: `/twilio/call/wait?${q}`, action: `/twilio/call/queue-result?${q}` };
  if (!deps.taskRouter) return base;
  return {
    ...base,
    workflowSid: deps.taskRouter.workflowSid,
    task: {
      attributes: {
        type: 'support-call',
        ticket: ticket.number,
        priority: ticket.priority,
        priorityRank: ticket.priorityRank,
        service: ticket.service,
        language: ticket.language,
        org: ticket.org,
        orgName: ticket.orgName,
        plan: ticket.plan,
        priorityQueue: ticket.priorityQueue,
        tier: ticket.tier,
        verifiedBy: ticket.verifiedBy,
      },
      priority: taskRouterPriority(ticket),
    },
  };
}

/**
 * TaskRouter serves higher numbers first. Rank dominates (steps of 10), a priority plan adds 1 within its
 * rank, so a more urgent ticket always outranks a less urgent one whatever the plan.
 */
export function taskRouterPriority(t: Pick<Ticket, 'priorityRank' | 'priorityQueue'>): number {
  return Math.max(0, 100 - t.priorityRank * 10) + (t.priorityQueue ? 1 : 0);
}

// ---------------------------------------------------------------- waiting (contract §2.6)

/** The waitUrl: position and estimate, then a pause; Twilio requests it again when it ends (the refresh). */
export function waitAnswer(params: Record<string, string>, language: string): VoiceAnswer {
  const position = Math.max(1, Number.parseInt(params.QueuePosition ?? '1', 10) || 1);
  const avg = Number.parseInt(params.AvgQueueTime ?? '0', 10) || 0;
  const minutes = Math.max(1, Math.ceil(((avg > 0 ? avg : 120) * position) / 60));
  return {
    language,
    verbs: [say('queue-position', { position }), say('queue-estimate', { minutes }), { kind: 'pause', seconds: 20 }],
  };
}

// ---------------------------------------------------------------- helpers

function gather(state: CallState, input: StepInput, before: Verb[], prompt: Message[], opts: Omit<GatherOptions, 'query'>): StepOutcome {
  const step = state.expect as CallerStep;
  // The priority and callback prompts carry a rescue snapshot: if DynamoDB fails before the caller answers,
  // the step can still open the ticket through the spool (call-rescue.ts).
  const rescue = isRescuable(step) ? rescueToken(state) : undefined;
  return gatherStep(state, input.s, before, prompt, { ...opts, query: rescue ? `&r=${rescue}` : undefined });
}

const end = endCall;

function lineOf(config: LineConfig, state: CallState): Line {
  const line = config.lines.find((l) => l.number === state.line);
  if (!line) throw new Error(`line ${state.line} is no longer in the data`);
  return line;
}

async function orgOf(state: CallState, deps: FlowDeps): Promise<Organization> {
  const org = state.orgId ? await deps.directory.orgById(state.orgId) : undefined;
  if (!org) throw new Error(`organization ${state.orgId} is not in the data`);
  return org;
}

async function audit(deps: FlowDeps, state: CallState, org: string, method: Parameters<FlowDeps['audit']['record']>[0]['method'], result: Parameters<FlowDeps['audit']['record']>[0]['result']): Promise<void> {
  try {
    await deps.audit.record({ org, caller: state.from, callSid: state.callSid, method, result, at: deps.now().toISOString() }, state.n);
  } catch (e) {
    // The audit must not cost the caller the call; the log keeps what the table could not.
    deps.log?.('error', 'audit write failed', { org, method, result, error: String(e) });
  }
}

const DAY_NAMES: Record<string, Record<string, string>> = {
  en: { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' },
  pl: { mon: 'poniedziałek', tue: 'wtorek', wed: 'środa', thu: 'czwartek', fri: 'piątek', sat: 'sobota', sun: 'niedziela' },
};

/** "Monday to Friday, 09:00 to 17:00; Saturday, 09:00 to 13:00" in the call's language. */
function spokenHours(hours: Parameters<typeof hoursSummary>[0], language: string): string {
  const lang = language.startsWith('pl') ? 'pl' : 'en';
  const names = DAY_NAMES[lang]!;
  const to = lang === 'pl' ? ' do ' : ' to ';
  return hoursSummary(hours)
    .map((g) => {
      const days = g.days.length > 2 && isConsecutive(g.days) ? `${names[g.days[0]!]}${to}${names[g.days.at(-1)!]}` : g.days.map((d) => names[d]).join(', ');
      return `${days}, ${g.open}${to}${g.close}`;
    })
    .join('; ');
}

function isConsecutive(days: readonly string[]): boolean {
  const order = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  return days.every((d, i) => i === 0 || order.indexOf(d) === order.indexOf(days[i - 1]!) + 1);
}

/**
 * When a bar ends, with its date: bars last days to months ("until Wednesday" would name the wrong week),
 * unlike due times, which are hours or days away.
 */
function spokenDate(iso: string, line: Line): string {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(line.language, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: line.timezone }).format(d);
}

/** A fair-use window as said to callers: whole days as days ("7 days", not "168 hours"), else hours. */
function spokenWindow(ms: number): string {
  const day = 86_400_000;
  if (ms >= 2 * day && ms % day === 0) return `${ms / day} days`;
  return `${Math.round(ms / 3_600_000)} hours`;
}

/** A due time as the caller hears it: weekday, time and zone of the line ("Monday 16:00"). */
function spokenTime(iso: string, line: Line): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(line.language, { weekday: 'long', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: line.timezone }).format(d);
}

function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

