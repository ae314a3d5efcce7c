/**
 * The abuse limits of identification, as the account and code steps use them (rules:
 * domain/abuse-limits.ts; store: `deps.limits`). Every refusal and every wrong account number is audited.
 * Taking from a limit fails closed (the step apologizes, as for any store fault): an attacker who overloads
 * the store must not get unlimited guesses. Bookkeeping after the fact (give-backs, the run of wrong codes)
 * fails open and is logged.
 */
import { callerKey, CODE_FAILURE_STREAK } from '../../domain/abuse-limits.js';
import type { CallState } from '../../domain/call-state.js';
import type { Organization } from '../../domain/model.js';
import type { AuditEntry, CodeRun, FlowDeps, LimitTake } from '../ports.js';
import { audit } from './context.js';
import { codePausedPageNotice } from '../../domain/speech/texts.js';

/** Audit entries about account numbers that lead to no organization are kept under this key. */
export const NO_ORG = '(no-organization)';

async function guarded<T>(deps: FlowDeps, what: string, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (e) {
    deps.log?.('warn', 'abuse limit not checked', { what, error: String(e) });
    return undefined;
  }
}

/**
 * Takes one account-number guess of the calling number before the lookup (so concurrent calls cannot
 * look up more than the limit); undefined when there is no entry or no limiter.
 */
export async function takeAccountGuess(state: CallState, digits: string, deps: FlowDeps): Promise<LimitTake | undefined> {
  if (!digits || !deps.limits) return undefined;
  const limits = deps.limits;
  const taken = await limits.take('wrong-account', callerKey(state.from), deps.now().getTime());
  if (!taken.allowed) {
    await audit(deps, state, NO_ORG, 'account', 'rate-limited');
    deps.metric?.('AccountGuessLimited');
  }
  return taken;
}

/** The entry was a real account number: it does not count against the calling number. */
export async function giveBackAccountGuess(state: CallState, taken: LimitTake | undefined, deps: FlowDeps): Promise<void> {
  if (!taken?.allowed || !deps.limits) return;
  const limits = deps.limits;
  await guarded(deps, 'give back', () => limits.giveBack('wrong-account', callerKey(state.from), taken.slice));
}

export async function auditWrongAccount(state: CallState, deps: FlowDeps): Promise<void> {
  await audit(deps, state, NO_ORG, 'account', 'account-not-found');
  deps.metric?.('WrongAccountNumber');
}

/**
 * Whether a code may be sent now: not while the organization's code verification is paused, and at most
 * the calling number's share (checked before the organization's budget, which it must not use up).
 */
export async function codeSendRefusal(
  state: CallState,
  org: Organization,
  method: AuditEntry['method'],
  deps: FlowDeps,
): Promise<'paused' | 'caller' | undefined> {
  if (!deps.limits) return undefined;
  const limits = deps.limits;
  const nowMs = deps.now().getTime();
  if ((await guarded(deps, 'codes paused', () => limits.codeRun(org.id, nowMs)))?.pausedUntil) {
    await audit(deps, state, org.id, method, 'rate-limited');
    return 'paused';
  }
  const taken = await limits.take('code-send-caller', callerKey(state.from), nowMs);
  if (!taken.allowed) {
    await audit(deps, state, org.id, method, 'rate-limited');
    deps.metric?.('CodeSendLimitedPerCaller');
    return 'caller';
  }
  return undefined;
}

/**
 * The organization's run of wrong codes before an entry is checked; `paused` while code verification is
 * paused (entries are refused). Unread (no limiter, or the store failed): not paused, and a right code
 * resets the run to be sure.
 */
export async function codeRunBefore(
  state: CallState,
  org: Organization,
  method: AuditEntry['method'],
  deps: FlowDeps,
): Promise<{ paused: boolean; run?: CodeRun }> {
  if (!deps.limits) return { paused: false };
  const limits = deps.limits;
  const run = await guarded(deps, 'codes paused', () => limits.codeRun(org.id, deps.now().getTime()));
  if (run?.pausedUntil) await audit(deps, state, org.id, method, 'rate-limited');
  return { paused: !!run?.pausedUntil, ...(run ? { run } : {}) };
}

/**
 * Counts a wrong entry in the organization's run; true if verification is (now) paused. Pages once when it
 * pauses: the team of the caller's line, in the line's language.
 */
export async function codeFailed(org: Organization, state: CallState, deps: FlowDeps): Promise<boolean> {
  if (!deps.limits) return false;
  const limits = deps.limits;
  const result = await guarded(deps, 'code streak', () => limits.codeFailed(org.id, deps.now().getTime()));
  if (!result?.paused) return false;
  if (result.pausedNow) {
    deps.metric?.('CodeVerificationPaused');
    const page = async () => {
      const line = (await deps.directory.config()).lines.find((l) => l.number === state.line);
      const notice = codePausedPageNotice(line?.language ?? state.language, {
        org: org.name,
        orgId: org.id,
        count: CODE_FAILURE_STREAK.max,
        minutes: CODE_FAILURE_STREAK.lockMs / 60_000,
      });
      await deps.pager?.page(notice.subject, notice.body);
    };
    await page().catch((e: unknown) => deps.log?.('warn', 'page failed', { error: String(e) }));
  }
  return true;
}

/** A right code ends the organization's run of wrong ones; a run read as empty just before needs no write. */
export async function codeVerified(org: Organization, run: CodeRun | undefined, deps: FlowDeps): Promise<void> {
  if (!deps.limits || run?.streak === 0) return;
  const limits = deps.limits;
  await guarded(deps, 'code streak reset', () => limits.codeVerified(org.id, deps.now().getTime()));
}
