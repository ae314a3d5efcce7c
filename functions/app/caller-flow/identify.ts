/**
 * Who is calling (contract §2.2): a registered caller ID the organization trusts (or STIR/SHAKEN
 * attestation A), else the account number and a code sent to the organization's contacts (verify.ts).
 */
import type { CallState } from '../../domain/call-state.js';
import { msg, say, type Verb } from '../../domain/decisions.js';
import type { Organization } from '../../domain/model.js';
import { retryOrEnd, type StepInput, type StepOutcome } from '../answers.js';
import type { FlowDeps } from '../ports.js';
import { audit, end, gather } from './context.js';
import { entitle } from './entitle.js';
import { auditWrongAccount, giveBackAccountGuess, takeAccountGuess } from './limits.js';
import { offerChannels } from './verify.js';

const ATTESTATION_A = 'TN-Validation-Passed-A';

/** Caller ID first: a registered person whose organization trusts caller ID (or STIR/SHAKEN attestation A). */
export async function identify(state: CallState, input: StepInput, deps: FlowDeps, before: Verb[] = []): Promise<StepOutcome> {
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
      (s) => gather(s, input, invalid, [msg('account-prompt')], { finishOnKey: '#', timeout: 10 }),
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
