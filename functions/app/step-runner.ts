/**
 * Runs one caller step exactly once, whatever Twilio retries: claim the step on the call's state, run it,
 * commit the new state together with the answer given. A retry of an answered step gets that answer again;
 * a request for a step the call is not at (skipped ahead, replayed, forged order) gets the current prompt
 * again and changes nothing; a call with no state gets a spoken apology. Failures end in spoken TwiML.
 */
import type { CallerStep } from '../domain/call-state.js';
import { say } from '../domain/decisions.js';
import { StoreUnavailableError } from '../domain/errors.js';
import type { StepInput, StepOutcome } from './answers.js';
import { guardEffects } from './effect-guard.js';
import type { AuditLog, AuditWrite, ClaimResult, FlowDeps, StepWrite } from './ports.js';
import type { CallState } from '../domain/call-state.js';
import { rescueState } from '../domain/call-rescue.js';
import { withRequestBudget } from './time-budget.js';

export type StepFn = (state: CallState, input: StepInput, deps: FlowDeps) => Promise<StepOutcome>;

/** How long a request waits for a concurrent twin of itself to answer before asking Twilio to come back. */
const BUSY_WAIT_MS = 2_500;
const BUSY_POLL_MS = 100;

export async function runStep(args: {
  callSid: string;
  step: CallerStep | string;
  s: number;
  params: Record<string, string>;
  baseUrl: string;
  deps: FlowDeps;
  steps: Partial<Record<string, StepFn>>;
  /** Relative URL of this very step, for a "come back in a moment" redirect. */
  selfUrl: string;
  /** The step URL's rescue snapshot (`r`), used only if the call's state cannot be read (call-rescue.ts). */
  rescue?: string;
  /** The caller's number (E.164), for a rescued state. */
  from?: string;
  /** The step is claimed already, with this state (a new call created claimed: `startStep`). */
  claimed?: CallState;
  /**
   * The call's first prompt only asked and was not stored (`firstPrompt`): the state and answer it would
   * have stored, rebuilt from the request, for the step that answers it (`s` = 1); undefined otherwise.
   */
  unstored?: () => Promise<FirstPrompt | undefined>;
}): Promise<string> {
  // One time budget for every store call of this request, closed once the answer is given (time-budget.ts).
  const budget = withRequestBudget(args.deps, { deadlineMs: args.deps.storeDeadlineMs });
  try {
    return await stepWithinBudget({ ...args, deps: budget.deps }, args.deps);
  } finally {
    budget.close();
  }
}

async function stepWithinBudget(args: Parameters<typeof runStep>[0], unbudgeted: FlowDeps): Promise<string> {
  const { deps } = args;
  const fn = args.steps[args.step];
  let language = 'en-US';
  // The step's audit entries wait for its commit and are written with it (one request where DynamoDB has transactions).
  const audit = deferredAudit(deps);
  try {
    if (args.s === 1 && fn && args.unstored && !args.claimed) {
      const first = await args.unstored();
      const answered = first && first.state.n === 1 && first.state.expect === args.step ? await firstAnswered(args, first, fn, audit) : undefined;
      if (answered !== undefined) return answered;
    }
    const claim: ClaimResult | Awaited<ReturnType<typeof claimOrRescue>> = args.claimed
      ? { kind: 'claimed', state: args.claimed }
      : Number.isSafeInteger(args.s) && args.s >= 0 && fn
        ? await claimOrRescue(args)
        : await readOnly(args.callSid, deps);
    switch (claim.kind) {
      case 'missing': {
        // A call at its unstored first prompt (or one never started: the two look the same) is asked it again.
        const first = args.unstored ? await args.unstored() : undefined;
        return first?.twiml ?? deps.twiml.render({ language, verbs: [say('lost-state'), { kind: 'hangup' }] }, args.baseUrl);
      }
      case 'answered':
        return claim.twiml;
      case 'out-of-order':
        return claim.state.last?.twiml ?? deps.twiml.render({ language: claim.state.language, verbs: [say('lost-state'), { kind: 'hangup' }] }, args.baseUrl);
      case 'busy': {
        language = claim.state.language;
        // Only reads, bounded by their own wait: a slow twin is waited for past this request's store deadline.
        const answered = await waitForAnswer(args.callSid, args.s, unbudgeted);
        if (answered) return answered;
        return deps.twiml.render(
          { language, verbs: [say('one-moment'), { kind: 'pause', seconds: 1 }, { kind: 'redirect', url: args.selfUrl }] },
          args.baseUrl,
        );
      }
      case 'claimed': {
        language = claim.state.language;
        const rerun = (refused: readonly StepWrite[]) => fn!(claim.state, { ...stepInput(args), ...(refused.length ? { refused } : {}) }, audit.deps);
        const outcome = await rerun([]);
        if ('rescued' in claim) {
          // Nothing was claimed, and the store is down: nothing to commit; the audit is tried on its own.
          const twiml = await renderOutcome(outcome, deps, args.baseUrl);
          await audit.writeAlone(deps);
          return twiml;
        }
        return await commitClaimed(args, outcome, rerun, audit);
      }
    }
  } catch (e) {
    deps.log?.('error', 'step failed', { step: args.step, callSid: args.callSid, error: e instanceof Error ? e.stack : String(e) });
    audit.logUnwritten(deps);
    const id = e instanceof StoreUnavailableError ? 'error-store' : 'error-generic';
    return deps.twiml.render({ language, verbs: [say(id), { kind: 'hangup' }] }, args.baseUrl);
  }
}

/**
 * Claims the step; if DynamoDB cannot be reached and the URL carries a rescue snapshot (priority and
 * callback prompts), runs the step on the snapshot instead, so the caller's ticket goes to the spool
 * rather than being lost to an apology.
 */
async function claimOrRescue(args: Parameters<typeof runStep>[0]): Promise<ClaimResult | { kind: 'claimed'; state: CallState; rescued: true }> {
  try {
    return await args.deps.calls.claim(args.callSid, args.s, args.step, args.deps.now().getTime());
  } catch (e) {
    const state =
      e instanceof StoreUnavailableError
        ? rescueState(args.rescue, { callSid: args.callSid, step: args.step, s: args.s, from: args.from ?? '', nowMs: args.deps.now().getTime() })
        : undefined;
    if (!state) throw e;
    args.deps.log?.('warn', 'step rescued: store unavailable', { step: args.step, callSid: args.callSid });
    return { kind: 'claimed', state, rescued: true };
  }
}

/** A request whose sequence number or step is unusable: never claims, only replays the current prompt. */
async function readOnly(callSid: string, deps: FlowDeps): Promise<{ kind: 'missing' } | { kind: 'out-of-order'; state: CallState }> {
  const state = await deps.calls.get(callSid);
  return state ? { kind: 'out-of-order', state } : { kind: 'missing' };
}

const stepInput = (args: Parameters<typeof runStep>[0]): StepInput => ({ digits: (args.params.Digits ?? '').slice(0, 64), params: args.params, s: args.s });

/** How many times a step is run again because the store refused one of its writes (another agent took that caller). */
const MAX_REFUSED_RUNS = 3;

/**
 * Commits a claimed step's state and answer, with its audit entries and writes; a refused write runs the step
 * again, told so (`rerun`). Settles a ticket of a call that ended meanwhile; then the step's `after` work.
 */
async function commitClaimed(
  args: Parameters<typeof runStep>[0],
  first: StepOutcome,
  rerun: (refused: readonly StepWrite[]) => Promise<StepOutcome>,
  audit: DeferredAudit,
): Promise<string> {
  const { deps } = args;
  const refused: StepWrite[] = [];
  let outcome = first;
  let twiml = await renderOutcome(outcome, deps, args.baseUrl);
  try {
    let result = await deps.calls.commit(outcome.state, args.s, twiml, deps.now().getTime(), audit.pending(), outcome.writes ?? []);
    while (result.refused) {
      if (refused.length >= MAX_REFUSED_RUNS) throw new Error(`step ${args.step}: its writes were refused ${refused.length + 1} times`);
      refused.push(result.refused);
      audit.discard();
      outcome = await rerun(refused);
      twiml = await renderOutcome(outcome, deps, args.baseUrl);
      result = await deps.calls.commit(outcome.state, args.s, twiml, deps.now().getTime(), audit.pending(), outcome.writes ?? []);
    }
    const { endedAt } = result;
    audit.written();
    // The call ended while this step ran (the status callback came first): a ticket it just opened
    // has no caller waiting for an agent any more.
    // Only if the ticket waits on this very call: one it only named (joined, folded into) is another call's.
    if (endedAt && outcome.state.ticketNumber) {
      const ticket = await deps.tickets.get(outcome.state.ticketNumber);
      if (ticket?.callSid === args.callSid) await deps.tickets.transition(ticket.number, 'abandoned', { abandonedAt: endedAt }, ['waiting']);
    }
  } catch (e) {
    // The call ends with this answer (a ticket read out, a goodbye): nothing later reads the state, so
    // a store that failed just now must not turn the caller's reference into an apology.
    if (!(e instanceof StoreUnavailableError) || outcome.state.expect !== 'done') throw e;
    deps.log?.('warn', 'final step not committed: store unavailable', { step: args.step, callSid: args.callSid });
    audit.logUnwritten(deps);
    return twiml;
  }
  await afterCommit(outcome, args);
  return twiml;
}

async function afterCommit(outcome: StepOutcome, args: Parameters<typeof runStep>[0]): Promise<void> {
  await outcome.after?.().catch((e: unknown) => args.deps.log?.('warn', 'work after a step failed', { step: args.step, error: String(e) }));
}

/** The call was stored while this request ran its unstored first step (a twin), or it ended unstored. */
class StoredMeanwhile extends Error {
  constructor(readonly state: CallState | undefined) {
    super('the call was stored meanwhile');
  }
}

/**
 * The step answering a first prompt that was not stored (s = 1). A step that only reads and asks stores the
 * call with its answer in one write. Before a step's first effect (a code sent, a limit counted, a ticket)
 * the call is created claimed, and the step commits as usual, so a twin never repeats an effect. Undefined:
 * the call was stored meanwhile and the claim path decides (a twin's answer, busy, out of order).
 */
async function firstAnswered(args: Parameters<typeof runStep>[0], first: FirstPrompt, fn: StepFn, audit: DeferredAudit): Promise<string | undefined> {
  const { deps } = args;
  const nowMs = deps.now().getTime();
  let claimed = false;
  const claimFirst = async () => {
    const made = await deps.calls.create(first.state, first.twiml, nowMs, { claimed: true });
    if (!made.created) throw new StoredMeanwhile(made.state);
    claimed = true;
  };
  const ended = () => deps.twiml.render({ language: first.state.language, verbs: [say('lost-state'), { kind: 'hangup' }] }, args.baseUrl);
  let outcome: StepOutcome;
  try {
    outcome = await fn(first.state, stepInput(args), guardEffects(audit.deps, claimFirst));
  } catch (e) {
    if (!(e instanceof StoredMeanwhile)) throw e;
    audit.discard();
    return e.state ? undefined : ended();
  }
  if (!claimed && outcome.writes?.length) {
    // Writes the answer depends on go with a commit: claim first, as before any effect.
    try {
      await claimFirst();
    } catch (e) {
      if (!(e instanceof StoredMeanwhile)) throw e;
      audit.discard();
      return e.state ? undefined : ended();
    }
  }
  const rerun = (refused: readonly StepWrite[]) => fn(first.state, { ...stepInput(args), refused }, audit.deps);
  if (claimed) return commitClaimed(args, outcome, rerun, audit);
  const twiml = await renderOutcome(outcome, deps, args.baseUrl);
  const made = await deps.calls.create({ ...outcome.state, n: args.s + 1 }, twiml, nowMs, { audit: audit.pending() });
  if (made.created) {
    audit.written();
    await afterCommit(outcome, args);
    return twiml;
  }
  audit.discard();
  if (!made.state) return ended();
  return made.state.last?.n === args.s ? made.state.last.twiml : undefined;
}

type DeferredAudit = ReturnType<typeof deferredAudit>;

/**
 * An audit log for one step that keeps what the step records until the commit takes it. Entries a commit
 * never took (the step failed, the store is down) go to the log, as a failed audit write always did.
 */
function deferredAudit(deps: FlowDeps) {
  let entries: AuditWrite[] = [];
  const log: AuditLog = {
    record: async (entry, seq) => {
      entries.push({ entry, seq });
    },
    forOrg: (org, limit) => deps.audit.forOrg(org, limit),
  };
  const take = () => {
    const out = entries;
    entries = [];
    return out;
  };
  return {
    deps: { ...deps, audit: log } as FlowDeps,
    pending: (): readonly AuditWrite[] => [...entries],
    written: () => void take(),
    /** Entries of a run whose answer is not this request's to give (a twin's is). */
    discard: () => void take(),
    async writeAlone(to: FlowDeps) {
      for (const { entry, seq } of take()) await to.audit.record(entry, seq).catch(() => to.log?.('error', 'audit write failed', { ...entry }));
    },
    logUnwritten(to: FlowDeps) {
      for (const { entry } of take()) to.log?.('error', 'audit write failed', { ...entry });
    },
  };
}

async function renderOutcome(outcome: StepOutcome, deps: FlowDeps, baseUrl: string): Promise<string> {
  const voice = await lineVoice(outcome.state, deps);
  return deps.twiml.render({ language: outcome.state.language, verbs: outcome.verbs, ...(voice ? { voice } : {}) }, baseUrl);
}

/** What a first prompt that only asks leaves, unstored: the call's state after it (`n` = 1) and its answer. */
export interface FirstPrompt {
  state: CallState;
  twiml: string;
}

/**
 * Runs a first step that only asks (a language or extension menu: nothing sent or counted) without storing
 * anything. The step answering it stores the call (`firstAnswered`), from this same prompt rebuilt from its
 * request: the first key press costs no write before it. A retried first webhook is simply asked again.
 */
export async function firstPrompt(args: {
  state: CallState;
  fn: StepFn;
  params: Record<string, string>;
  baseUrl: string;
  deps: FlowDeps;
}): Promise<FirstPrompt> {
  const { state, deps } = args;
  const outcome = await args.fn(state, { digits: '', params: args.params, s: state.n }, deps);
  return { state: { ...outcome.state, n: state.n + 1 }, twiml: await renderOutcome(outcome, deps, args.baseUrl) };
}

/**
 * The first webhook of a call whose first step may act at once (identification, a code sent): the call
 * is created with the step claimed for this request, in one write, and the step runs and commits; a
 * retried or concurrent twin finds the call and gets its answer, or waits for it.
 */
export async function startStep(args: {
  state: CallState;
  fn: StepFn;
  params: Record<string, string>;
  baseUrl: string;
  deps: FlowDeps;
  /** Relative URL of the first webhook, for a "come back in a moment" answer. */
  selfUrl: string;
  /** What a concurrent twin hears while this request's claimed first step runs. */
  pendingTwiml: string;
}): Promise<string> {
  const { state } = args;
  const budget = withRequestBudget(args.deps, { deadlineMs: args.deps.storeDeadlineMs });
  let made: { created: boolean };
  try {
    made = await budget.deps.calls.create(state, args.pendingTwiml, budget.deps.now().getTime(), { claimed: true });
  } finally {
    budget.close();
  }
  return runStep({
    callSid: state.callSid,
    step: state.expect,
    s: state.n,
    params: args.params,
    baseUrl: args.baseUrl,
    deps: args.deps,
    steps: { [state.expect]: args.fn },
    selfUrl: args.selfUrl,
    ...(made.created ? { claimed: state } : {}),
  });
}

/** The line's own `voice` (data file) while the call speaks the line's language; a language chosen from its menu has the table's voice. */
async function lineVoice(state: CallState, deps: FlowDeps): Promise<string | undefined> {
  if (state.kind !== 'caller') return undefined;
  // Only a voice: a config that cannot be read now must not cost the caller an answer already decided.
  const line = await deps.directory.config().then(
    (c) => c.lines.find((l) => l.number === state.line),
    () => undefined,
  );
  return line?.voice && line.language === state.language ? line.voice : undefined;
}

/**
 * Polls for the twin's answer for up to BUSY_WAIT_MS of `deps.sleep`: the wait is counted in sleeps, not
 * read from a clock, so a test's sleep that only yields makes it exact and instant.
 */
async function waitForAnswer(callSid: string, s: number, deps: FlowDeps): Promise<string | undefined> {
  for (let waited = 0; waited < BUSY_WAIT_MS; waited += BUSY_POLL_MS) {
    await deps.sleep(BUSY_POLL_MS);
    const state = await deps.calls.get(callSid);
    if (state?.last?.n === s) return state.last.twiml;
  }
  return undefined;
}
