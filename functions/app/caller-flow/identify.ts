/**
 * Who is calling (contract §2.2): a registered caller ID the organization trusts (or STIR/SHAKEN
 * attestation A), else the account number and a code sent to the organization's contacts (verify.ts).
 */
import type { CallState } from '../../domain/call-state.js';
import { msg, say, type Verb } from '../../domain/decisions.js';
import type { Organization, Person } from '../../domain/model.js';
import { retryOrEnd, type StepInput, type StepOutcome } from '../answers.js';
import type { FlowDeps } from '../ports.js';
import { audit, end, gather, wantsRepeat } from './context.js';
import { entitle } from './entitle.js';
import { auditWrongAccount, giveBackAccountGuess, takeAccountGuess } from './limits.js';
import { offerChannels } from './verify.js';

const ATTESTATION_A = 'TN-Validation-Passed-A';

/** Caller ID first: a registered person whose organization trusts caller ID (or STIR/SHAKEN attestation A). */
export async function identify(state: CallState, input: StepInput, deps: FlowDeps, before: Verb[] = []): Promise<StepOutcome> {
  const matches = state.from ? await deps.directory.peopleByPhone(state.from) : [];
  const orgs = [...new Map(matches.map((m) => [m.org.id, m.org])).values()];
  if (orgs.length === 1) return asPerson(state, input, deps, matches[0]!, before);
  // Registered in several organizations: ask which one, by name (contract §2.2; keys 1..9).
  if (orgs.length > 1) return orgMenu({ ...state, orgChoices: orgs.slice(0, 9).map((o) => o.id), tries: 0 }, input, orgs.slice(0, 9), before);
  return accountPrompt({ ...state, tries: 0 }, input, before);
}

function accountPrompt(state: CallState, input: StepInput, before: Verb[]): StepOutcome {
  return gather({ ...state, expect: 'account' }, input, before, [msg('account-prompt')], { finishOnKey: '#', timeout: 10 });
}

/** The caller is this registered person: trusted by caller ID, or sent a code to the organization's contacts. */
async function asPerson(
  state: CallState,
  input: StepInput,
  deps: FlowDeps,
  match: { org: Organization; person: Person },
  before: Verb[],
): Promise<StepOutcome> {
  const { org, person } = match;
  const trust = trustsCallerId(org, input.params);
  if (trust.trusted) {
    await audit(deps, state, org.id, trust.method, 'verified');
    const next = { ...state, orgId: org.id, personName: person.name, role: person.role, verifiedBy: 'caller-id' as const, tries: 0 };
    return entitle(next, input, deps, [...before, say('caller-known', { name: person.name, org: org.name })]);
  }
  if (org.verification === 'stir-shaken') await audit(deps, state, org.id, 'stir-shaken', 'attestation-missing');
  // Known organization, but its policy wants a code: no account number needed, the code goes to its contacts.
  return offerChannels({ ...state, orgId: org.id, personName: person.name, role: person.role, tries: 0 }, input, org, deps, before);
}

function orgMenu(state: CallState, input: StepInput, orgs: Organization[], before: Verb[]): StepOutcome {
  const prompt = [msg('org-intro'), ...orgs.map((o, i) => msg('org-option', { org: o.name, digit: i + 1 }))];
  return gather({ ...state, expect: 'org' }, input, before, prompt, { numDigits: 1 });
}

/** Which organization a person registered in several is calling for. */
export async function orgStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const matches = state.from ? await deps.directory.peopleByPhone(state.from) : [];
  const offered = (state.orgChoices ?? []).flatMap((id) => matches.filter((m) => m.org.id === id).slice(0, 1));
  // The data changed mid-call and none of the offered organizations still has this person: identify afresh.
  if (!offered.length) return identify({ ...state, orgChoices: undefined, tries: 0 }, input, deps);
  const again = (s: CallState, before: Verb[]) =>
    orgMenu(
      s,
      input,
      offered.map((m) => m.org),
      before,
    );
  if (wantsRepeat(input)) return again(state, []);
  const chosen = /^[1-9]$/.test(input.digits) ? offered[Number(input.digits) - 1] : undefined;
  if (chosen) return asPerson({ ...state, orgChoices: undefined, tries: 0 }, input, deps, chosen, []);
  return retryOrEnd(
    state,
    // Not knowing the organization, there is no plan to open a ticket under: the account number decides.
    (s) => accountPrompt({ ...s, orgChoices: undefined, tries: 0 }, input, input.digits ? [say('menu-invalid')] : []),
    (s) => again(s, input.digits ? [say('menu-invalid')] : []),
  );
}

function trustsCallerId(org: Organization, params: Record<string, string>): { trusted: boolean; method: 'caller-id' | 'stir-shaken' } {
  if (org.verification === 'caller-id') return { trusted: true, method: 'caller-id' };
  if (org.verification === 'stir-shaken') return { trusted: params.StirVerstat === ATTESTATION_A, method: 'stir-shaken' };
  return { trusted: false, method: 'caller-id' };
}

export async function accountStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  if (wantsRepeat(input)) return accountPrompt(state, input, []);
  // Only plausible account numbers are looked up: digits, 4 to 20 of them (a 10,000-digit entry is not).
  const guess = await takeAccountGuess(state, input.digits, deps);
  // Past 10 wrong numbers per calling number per hour (contract §2.2 v2): no lookup, the web support instead.
  if (guess && !guess.allowed) return end(state, [say('account-limit')]);
  const account = /^\d{4,20}$/.test(input.digits) ? input.digits : undefined;
  const org = account ? await deps.directory.orgByAccount(account) : undefined;
  if (org) await giveBackAccountGuess(state, guess, deps);
  else if (input.digits) await auditWrongAccount(state, deps);
  if (!org) {
    const invalid = input.digits ? [say('account-invalid')] : [];
    return retryOrEnd(
      state,
      (s) => end(s, [...invalid, say('account-too-many')]),
      (s) => accountPrompt(s, input, invalid),
    );
  }
  await audit(deps, state, org.id, 'account', 'account-found');
  const person = org.people.find((p) => p.phone === state.from);
  if (person) {
    const trust = trustsCallerId(org, input.params);
    if (trust.trusted) {
      await audit(deps, state, org.id, trust.method, 'verified');
      const next = { ...state, orgId: org.id, personName: person.name, role: person.role, verifiedBy: 'caller-id' as const, tries: 0 };
      return entitle(next, input, deps, [say('caller-known', { name: person.name, org: org.name })]);
    }
  }
  return offerChannels({ ...state, orgId: org.id, tries: 0 }, input, org, deps, []);
}
