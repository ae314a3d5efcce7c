/**
 * The agents' side of the line (contract §3): sign-in with id and PIN, the next caller by the pure rule
 * of `domain/agents.ts`, the whisper, and the bridge. Steps of the agent's own call run through the same
 * step runner as the caller's (exactly once across Twilio's retries); the bridge and TaskRouter steps run
 * on other legs and are made idempotent by conditional ticket writes instead.
 *
 * How a ticket moves here, and why each move is conditional:
 *  - claim: waiting → in-progress (agent, answeredAt, firstResponseMet) before the agent is connected,
 *    so two agents never announce the same caller; a lost race tries the next candidate.
 *  - bridge: Twilio runs the Queue `url` on the caller actually dequeued, just before bridging. That
 *    caller's ticket gets `bridgedAt` and this agent, even if it was not the one announced (FIFO head and
 *    our choice can differ when agents race); the announced one is then released back to waiting.
 *  - release: a claim that never led to a bridge (queue emptied, agent hung up during the whisper) goes
 *    back to waiting, or to abandoned when the caller is known to be gone.
 * Every status change is texted or emailed to the organization when its plan has `notifyStatusChanges`.
 */
import { stepUrl, type AgentStep, type CallState } from '../domain/call-state.js';
import { normalizeE164 } from '../domain/caller-id.js';
import { msg, say, type Message, type Verb } from '../domain/decisions.js';
import { callerOrder, firstResponseMet, isKeyedId, MAX_SIGN_IN_FAILURES, queueSlices } from '../domain/agents.js';
import { callbackDue, whisperMessage, type CallbackTicket } from '../domain/agent-life.js';
import type { Agent } from '../domain/model.js';
import { queueName, type Ticket, type TicketStatus } from '../domain/tickets.js';
import { endCall, gatherStep, retryOrEnd, type GatherOptions, type StepInput, type StepOutcome } from './answers.js';
import { callbackDialEnded, callbackPrompt, wrapUpPrompt } from './agent-life.js';
import { localize } from '../domain/messages/catalog.js';
import type { AgentLockStore, AuditEntry, Channel, FailureResult, FlowDeps } from './ports.js';
import { statusNotice } from '../domain/speech/texts.js';

/** A ticket as the agents' line keeps it: the bridge time and the last status the organization was told. */
export type AgentTicket = CallbackTicket & {
  bridgedAt?: string;
  notifiedStatus?: TicketStatus;
  /** Claimed from the callback list: the agent dials the customer (contract §3 v2). */
  viaCallback?: boolean;
};

/** The agents' line speaks English until it knows the agent. */
const LINE_LANGUAGE = 'en-US';
/** Candidates read per queue partition: enough to survive a few lost races without re-reading. */
const CANDIDATES_PER_SLICE = 5;
/**
 * Verified in place of a missing agent's hash, so an unknown id costs the same scrypt time as a known one
 * and response timing does not tell which ids exist. It matches no PIN (its hash is not scrypt's output).
 */
const DUMMY_PIN_HASH = `scrypt$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;

// ---------------------------------------------------------------- sign-in

/** The first answer of the agents' line, and its state: welcome, then the id prompt. */
export function startAgentCall(params: Record<string, string>, nowIso: string): StepOutcome {
  const state: CallState = {
    callSid: params.CallSid!,
    kind: 'agent',
    from: normalizeE164(params.From) ?? '',
    line: normalizeE164(params.To) ?? '',
    country: '',
    language: LINE_LANGUAGE,
    createdAt: nowIso,
    n: 1,
    expect: 'agent-id',
    tries: 0,
  };
  return idPrompt(state, 0, [say('agent-welcome')]);
}

export async function idStep(state: CallState, input: StepInput): Promise<StepOutcome> {
  if (!input.digits) return retryOrEnd(state, goodbye, (s) => idPrompt(s, input.s));
  // Any id goes on to the PIN prompt: whether it exists is told by nothing the caller hears.
  const next: CallState = { ...state, agentId: input.digits.slice(0, 20), expect: 'agent-pin', tries: 0 };
  return gather(next, input.s, [], [msg('agent-pin-prompt')], { finishOnKey: '#', timeout: 10 });
}

export async function pinStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const locks = lockStore(deps);
  if (!input.digits) {
    // Silence is not a wrong PIN: ask again (it counts toward no lockout), then give up.
    return retryOrEnd(state, goodbye, (s) => gather(s, input.s, [], [msg('agent-pin-prompt')], { finishOnKey: '#', timeout: 10 }));
  }
  const id = state.agentId ?? '';
  const nowMs = deps.now().getTime();
  const keyed = isKeyedId(id);
  // Locks are per calling number (contract §3 v2): a stranger's wrong PINs never lock the agent's own phone out.
  const caller = state.from;
  // A locked id is refused before its PIN is looked at, so guessing on during a lock learns nothing.
  if (keyed && (await locks.isLocked(id, nowMs, caller))) return end(state, [say('agent-locked')]);
  const agent = keyed ? await deps.directory.agentById(id) : undefined;
  const pinMatches = await deps.pins.verify(input.digits, agent?.pinHash ?? DUMMY_PIN_HASH);
  if (agent && pinMatches && isKeyedId(input.digits)) {
    await locks.clear(id, nowMs, caller);
    deps.log?.('info', 'agent signed in', { agent: agent.id, callSid: state.callSid });
    const signedIn: CallState = { ...state, signedIn: true, language: agent.languages[0] ?? LINE_LANGUAGE, signInFailures: 0, tries: 0 };
    return offerNextCaller(signedIn, input, deps, [say('agent-signed-in', { name: agent.name })]);
  }
  // Unknown ids are counted too: they lock like real ones, so a lock does not reveal that an id exists.
  const failure = keyed ? await locks.recordFailure(id, `${state.callSid}:${input.s}`, nowMs, caller) : undefined;
  if (failure) await pinFailureAudit(state, id, failure, deps);
  deps.metric?.('AgentSignInFailed');
  deps.log?.('warn', 'agent sign-in failed', { callSid: state.callSid, locked: failure?.locked ?? false });
  if (failure?.locked) return end(state, [say('agent-denied'), say('agent-locked')]);
  const failures = (state.signInFailures ?? 0) + 1;
  if (failures >= MAX_SIGN_IN_FAILURES) return end({ ...state, signInFailures: failures }, [say('agent-denied'), say('agent-too-many')]);
  return idPrompt({ ...state, agentId: undefined, signInFailures: failures, tries: 0 }, input.s, [say('agent-denied')]);
}

/**
 * Every wrong PIN is audited (org `_agents`), and so are the lock of a number and the daily cap; the cap
 * pages the supervisors once a day instead of locking the id for everyone (issue 14).
 */
async function pinFailureAudit(state: CallState, agentId: string, failure: FailureResult, deps: FlowDeps): Promise<void> {
  const results: AuditEntry['result'][] = [
    'pin-wrong',
    ...(failure.lockedNow ? (['pin-locked'] as const) : []),
    ...(failure.day.capReachedNow ? (['pin-daily-cap'] as const) : []),
  ];
  for (const result of results) {
    try {
      await deps.audit.record(
        { org: AGENTS_AUDIT, agent: agentId, caller: state.from, callSid: state.callSid, method: 'agent-pin', result, at: deps.now().toISOString() },
        state.n,
      );
    } catch (e) {
      deps.log?.('error', 'audit write failed', { agent: agentId, result, error: String(e) });
    }
  }
  if (failure.day.capReachedNow) {
    deps.metric?.('AgentPinDailyCap');
    const p = { agent: agentId, count: failure.day.count, numbers: failure.day.numbers.length, caller: state.from || 'withheld' };
    await deps.pager
      ?.page(localize('en-US', { id: 'page-pin-cap-subject', params: p }), localize('en-US', { id: 'page-pin-cap-body', params: p }))
      .catch((e: unknown) => deps.log?.('error', 'page failed', { agent: agentId, error: String(e) }));
  }
}

/** The audit's organization key for the agents' line: no data-file id starts with `_`. */
export const AGENTS_AUDIT = '_agents';

function idPrompt(state: CallState, s: number, before: Verb[] = []): StepOutcome {
  return gather({ ...state, expect: 'agent-id' }, s, before, [msg('agent-id-prompt')], { finishOnKey: '#', timeout: 10 });
}

function lockStore(deps: FlowDeps): AgentLockStore {
  if (!deps.agentLocks) throw new Error('the agents line needs deps.agentLocks (wiring.ts builds it)');
  return deps.agentLocks;
}

// ---------------------------------------------------------------- next caller

/** "Press 1": take the next caller; silence or another key asks again, then goodbye. */
export async function nextStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  if (input.digits === '1') return offerNextCaller({ ...state, tries: 0 }, input, deps);
  return retryOrEnd(state, goodbye, (s) => gather({ ...s, expect: 'agent-next' }, input.s, [], [msg('agent-next-prompt')], { numDigits: 1, timeout: 10 }));
}

/**
 * The Dial action: the conversation is over, or the Dial ended at once because the queue had emptied
 * (the announced caller hung up meanwhile), or a callback's customer did not answer. After a conversation
 * the agent wraps up (contract §3 v2: `1` resolved, `2` still open); otherwise they may take the next caller.
 */
export async function doneStep(state: CallState, input: StepInput, deps: FlowDeps): Promise<StepOutcome> {
  const number = state.ticketNumber;
  const ticket = number ? ((await deps.tickets.get(number)) as AgentTicket | undefined) : undefined;
  if (ticket?.viaCallback) return callbackDialEnded(state, ticket, input, deps);
  // Twilio says whether the Dial bridged (`DialBridged`, else a `DialCallSid` of the dequeued caller); our
  // own bridge step's record covers a request that carries neither.
  const dialBridged = input.params.DialBridged === 'true' || (input.params.DialBridged !== 'false' && !!input.params.DialCallSid);
  const bridged = dialBridged || (!!ticket?.bridgedAt && ticket.agent === state.agentId);
  if (ticket && !bridged) {
    // Nobody was connected: the claim goes back to waiting. If the caller is gone, their status callback
    // makes it abandoned (from waiting, or directly if it comes first: see releaseUnbridged).
    await releaseClaim(ticket, state.agentId ?? '', 'waiting', deps);
  }
  if (bridged && ticket) return wrapUpPrompt(state, input.s, [say('agent-call-ended')]);
  const before = bridged ? [say('agent-call-ended')] : [say('agent-queue-empty')];
  return gather({ ...state, expect: 'agent-next', ticketNumber: undefined, tries: 0 }, input.s, before, [msg('agent-next-prompt')], {
    numDigits: 1,
    timeout: 10,
  });
}

/** Finds and claims the agent's next caller: the whisper and the bridge (or the callback's prompt), or "no one is waiting" with a retry. */
export async function offerNextCaller(state: CallState, input: StepInput, deps: FlowDeps, before: Verb[] = []): Promise<StepOutcome> {
  const agent = state.agentId ? await deps.directory.agentById(state.agentId) : undefined;
  // The agent was removed by a data reload mid-call: nothing more to hand them.
  if (!agent) return end(state, [...before, say('agent-denied'), say('goodbye')]);
  const ticket = await claimNextCaller(agent, deps);
  if (!ticket) {
    return gather({ ...state, expect: 'agent-next', ticketNumber: undefined, tries: 0 }, input.s, before, [msg('agent-no-callers')], {
      numDigits: 1,
      timeout: 10,
    });
  }
  if (ticket.viaCallback) return callbackPrompt({ ...state, ticketNumber: ticket.number, tries: 0 }, ticket, input.s, before);
  return {
    state: { ...state, expect: 'agent-done', ticketNumber: ticket.number, tries: 0 },
    verbs: [...before, whisperGather(ticket, input.s + 1), dialQueueVerb(ticket, agent.id, input.s + 1)],
  };
}

/**
 * The whisper inside a Gather (issue 13): any key skips it and connects at once (the Gather's action answers
 * with the same Dial); with no key the call falls through to the Dial after a second.
 */
export function whisperGather(ticket: Ticket, s: number): Verb {
  return {
    kind: 'gather',
    prompt: [whisperMessage(ticket, false)],
    action: `/twilio/agent/connect?s=${s}`,
    numDigits: 1,
    finishOnKey: '',
    timeout: 1,
    actionOnEmptyResult: false,
  };
}

/** The agent's Dial of the ticket's queue; its Queue url tells us who was bridged, its action is the wrap-up. */
export function dialQueueVerb(ticket: Ticket, agentId: string, s: number): Verb {
  return {
    kind: 'dialQueue',
    queue: ticket.queue ?? queueName(ticket),
    url: `/twilio/agent/bridge?t=${ticket.number}&a=${encodeURIComponent(agentId)}`,
    action: stepUrl('agent-done', s),
  };
}

/**
 * Claims the best caller the agent serves: every queue partition of theirs is read (waiting callers and
 * callback requests, best first, a few each), the pure rule orders the union, and the first conditional
 * claim that wins is theirs. A callback is claimed only while it may be dialed (domain/agent-life.ts). A
 * second round covers the case where every candidate was taken by other agents meanwhile.
 */
export async function claimNextCaller(
  agent: Agent,
  deps: Pick<FlowDeps, 'tickets' | 'now' | 'directory' | 'notifier' | 'log'>,
): Promise<AgentTicket | undefined> {
  const slices = queueSlices(agent);
  const config = await deps.directory.config();
  for (let round = 0; round < 2; round++) {
    const lists = await Promise.all(
      slices.flatMap((s) => [
        deps.tickets.waiting(s.service, s.language, s.tier, CANDIDATES_PER_SLICE),
        deps.tickets.callbacks(s.service, s.language, s.tier, CANDIDATES_PER_SLICE),
      ]),
    );
    const nowMs = deps.now().getTime();
    const order = callerOrder(lists.flat(), agent).filter((t) => t.status === 'waiting' || callbackDue(t, config, nowMs));
    if (!order.length) return undefined;
    for (const candidate of order) {
      const answeredAt = deps.now().toISOString();
      const callback = candidate.status === 'callback';
      const claimed = await deps.tickets.transition(
        candidate.number,
        'in-progress',
        {
          agent: agent.id,
          answeredAt,
          firstResponseMet: firstResponseMet(answeredAt, candidate.firstResponseDue),
          ...(callback ? { viaCallback: true } : {}),
        } as Partial<AgentTicket>,
        [candidate.status],
      );
      if (claimed) {
        await notifyStatusChange(claimed, deps);
        return claimed;
      }
    }
  }
  return undefined;
}

/** The whisper: what the agent hears of the ticket before the caller is connected (contract §3). */
export function whisper(ticket: Ticket): Verb {
  return { kind: 'say', message: whisperMessage(ticket, false) };
}

// ---------------------------------------------------------------- the bridge (caller's leg)

/**
 * The `<Queue url>` step, run by Twilio on the dequeued caller's leg just before bridging (CallSid is the
 * caller's). Records who was actually connected to agent `agentId`, corrects the claim when Twilio's queue
 * head was another ticket than the one announced, and tells the caller they are being connected.
 */
export async function bridgeCaller(
  args: { callSid: string; announced: string; agentId: string },
  deps: FlowDeps,
): Promise<{ language: string; verbs: Verb[] }> {
  const announced = /^\d{1,12}$/.test(args.announced) ? ((await deps.tickets.get(args.announced)) as AgentTicket | undefined) : undefined;
  let actual = announced && announced.callSid === args.callSid ? announced : await ticketOfCall(args.callSid, deps);
  if (actual && args.agentId) {
    actual = await markBridged(actual, args.agentId, deps);
    if (announced && actual.number !== announced.number) {
      deps.log?.('warn', 'bridged another caller than announced', { announced: announced.number, bridged: actual.number, agent: args.agentId });
      // The announced caller was not dequeued: they are still in Twilio's queue, so back to waiting.
      await releaseClaim(announced, args.agentId, 'waiting', deps);
    }
  }
  return { language: actual?.language ?? announced?.language ?? LINE_LANGUAGE, verbs: [say('agent-bridge-caller')] };
}

async function ticketOfCall(callSid: string, deps: Pick<FlowDeps, 'calls' | 'tickets'>): Promise<AgentTicket | undefined> {
  const state = await deps.calls.get(callSid);
  if (state?.kind !== 'caller' || !state.ticketNumber) return undefined;
  return (await deps.tickets.get(state.ticketNumber)) as AgentTicket | undefined;
}

/**
 * Marks `ticket` as bridged to `agentId`: in progress with that agent, whatever claim it had (a caller is
 * talking to exactly the agent whose Dial dequeued them). Idempotent: a ticket bridged already is kept.
 */
async function markBridged(
  ticket: AgentTicket,
  agentId: string,
  deps: Pick<FlowDeps, 'tickets' | 'now' | 'directory' | 'notifier' | 'log'>,
): Promise<AgentTicket> {
  let current: AgentTicket | undefined = ticket;
  for (let attempt = 0; attempt < 4 && current; attempt++) {
    if (current.bridgedAt) return current;
    const now = deps.now().toISOString();
    const keepsClaim = current.status === 'in-progress' && current.agent === agentId && !!current.answeredAt;
    const answeredAt = keepsClaim ? current.answeredAt! : now;
    const next: AgentTicket = {
      ...current,
      status: 'in-progress',
      agent: agentId,
      answeredAt,
      firstResponseMet: firstResponseMet(answeredAt, current.firstResponseDue),
      bridgedAt: now,
    };
    delete next.abandonedAt;
    if (await deps.tickets.replaceIf(current, next)) {
      if (current.status !== 'in-progress') await notifyStatusChange(next, deps);
      return next;
    }
    current = (await deps.tickets.get(ticket.number)) as AgentTicket | undefined;
  }
  return current ?? ticket;
}

/**
 * Undoes `agentId`'s claim on a ticket that was never bridged: back to `waiting` (the caller is still
 * queued) or `abandoned` (the caller is gone). Does nothing if the ticket moved on meanwhile (bridged,
 * taken by someone else, or released already), so every path that may release can call it safely.
 */
export async function releaseClaim(
  ticket: AgentTicket,
  agentId: string | undefined,
  to: 'waiting' | 'abandoned' | 'callback',
  deps: Pick<FlowDeps, 'tickets' | 'now' | 'directory' | 'notifier' | 'log'>,
): Promise<boolean> {
  if (ticket.status !== 'in-progress' || ticket.bridgedAt || (agentId !== undefined && ticket.agent !== agentId)) return false;
  // A callback's customer is in no queue: an unbridged callback goes back to the callback list, whatever the caller said.
  const next: AgentTicket = { ...ticket, status: ticket.viaCallback ? 'callback' : to };
  delete next.viaCallback;
  delete next.agent;
  delete next.answeredAt;
  delete next.firstResponseMet;
  if (next.status === 'abandoned') next.abandonedAt = deps.now().toISOString();
  const moved = await deps.tickets.replaceIf(ticket, next);
  if (moved) await notifyStatusChange(next, deps);
  return moved;
}

// ---------------------------------------------------------------- notifications

/**
 * Tells the organization's contact about a ticket's new status when its plan asks for it
 * (`notifyStatusChanges`). Exactly once per change: the ticket's `notifiedStatus` is set with a
 * compare-and-set first, and only the writer that wins sends. The creation status is skipped (the caller
 * flow's confirmation told it already). Best effort: a failure is logged, never raised into a call.
 */
export async function notifyStatusChange(ticket: AgentTicket, deps: Pick<FlowDeps, 'tickets' | 'directory' | 'notifier' | 'log'>): Promise<void> {
  try {
    if (ticket.notifiedStatus === ticket.status) return;
    if (!ticket.notifiedStatus && (ticket.status === 'waiting' || ticket.status === 'callback')) return;
    const config = await deps.directory.config();
    if (!config.plans[ticket.plan]?.notifyStatusChanges) return;
    if (!(await deps.tickets.replaceIf(ticket, { ...ticket, notifiedStatus: ticket.status }))) return;
    const org = await deps.directory.orgById(ticket.org);
    const channel: Channel | undefined = org?.contacts.phone ? 'sms' : org?.contacts.email ? 'email' : undefined;
    if (!org || !channel) return;
    // In the ticket's language (the one its caller spoke), from the same catalogs as the call.
    const { subject, body } = statusNotice(ticket.language, channel, ticket, { services: config.services });
    await deps.notifier.send(
      channel === 'sms' ? { channel, to: org.contacts.phone!, body } : { channel, to: org.contacts.email!, subject: subject ?? '', body },
    );
  } catch (e) {
    deps.log?.('warn', 'status notification failed', { ticket: ticket.number, status: ticket.status, error: String(e) });
  }
}

// ---------------------------------------------------------------- helpers

export const AGENT_STEP_NAMES: readonly AgentStep[] = ['agent-id', 'agent-pin', 'agent-next', 'agent-done', 'agent-callback', 'agent-wrapup'];

function gather(state: CallState, s: number, before: Verb[], prompt: Message[], opts: GatherOptions): StepOutcome {
  return gatherStep(state, s, before, prompt, opts);
}

const end = endCall;

const goodbye = (state: CallState): StepOutcome => end(state, [say('goodbye')]);

// ---------------------------------------------------------------- TaskRouter (teams too big for the agents' line)

const RESERVATION_SID = /^WR[0-9a-fA-F]{32}$/;

/**
 * The answer to a TaskRouter assignment callback (a reservation of a worker for a caller's task). We use
 * Twilio's documented `call` instruction rather than `dequeue`: `dequeue` connects the worker straight to
 * the caller with no TwiML of ours on the worker's leg, so the worker could not hear the whisper. With
 * `call`, TaskRouter calls the worker's `contact_uri` from our number and runs `url` when they answer; that
 * step plays the same whisper as the agents' line and then `<Dial><Queue reservationSid>` bridges the
 * reserved caller, which also accepts the reservation (so `accept` is not set here: a worker who does not
 * answer leaves the reservation to time out and the task goes to someone else).
 * Unusable reservations (no worker contact, no task attributes) are rejected so TaskRouter reroutes them.
 */
export async function assignmentInstruction(
  params: Record<string, string>,
  baseUrl: string,
  deps: Pick<FlowDeps, 'tickets' | 'directory' | 'log'>,
): Promise<Record<string, unknown>> {
  const task = parseJson(params.TaskAttributes);
  const worker = parseJson(params.WorkerAttributes);
  const reservation = params.ReservationSid ?? '';
  const to = typeof worker?.contact_uri === 'string' ? worker.contact_uri : '';
  if (!task || !to || !RESERVATION_SID.test(reservation)) {
    deps.log?.('warn', 'reservation rejected', { reservation, hasTask: !!task, hasContact: !!to });
    return { instruction: 'reject' };
  }
  const number = typeof task.ticket === 'string' || typeof task.ticket === 'number' ? String(task.ticket) : '';
  const ticket = /^\d{1,12}$/.test(number) ? await deps.tickets.get(number) : undefined;
  const config = await deps.directory.config();
  const agentId = typeof worker?.agent_id === 'string' || typeof worker?.agent_id === 'number' ? String(worker.agent_id) : (params.WorkerSid ?? '');
  const query = new URLSearchParams({ t: number, r: reservation, a: agentId });
  return {
    instruction: 'call',
    to,
    // A number of ours the worker recognizes: the support line the caller dialed, else the agents' line.
    from: ticket?.line ?? config.agentsLine,
    url: `${baseUrl}/twilio/agent/whisper?${query.toString()}`,
  };
}

/**
 * TaskRouter's `call` instruction ran: the worker answered. The ticket is claimed for them (as on the
 * agents' line), they hear the whisper, and `<Dial><Queue reservationSid>` bridges the reserved caller;
 * the Queue `url` is the same bridge step, so the ticket records who was connected either way.
 */
export async function taskRouterWhisper(query: Record<string, string>, deps: FlowDeps): Promise<{ language: string; verbs: Verb[] }> {
  const reservation = query.r ?? '';
  const agentId = query.a ?? '';
  if (!RESERVATION_SID.test(reservation)) return { language: LINE_LANGUAGE, verbs: [say('error-generic'), { kind: 'hangup' }] };
  const agent = isKeyedId(agentId) ? await deps.directory.agentById(agentId) : undefined;
  const language = agent?.languages[0] ?? LINE_LANGUAGE;
  let ticket = /^\d{1,12}$/.test(query.t ?? '') ? ((await deps.tickets.get(query.t!)) as AgentTicket | undefined) : undefined;
  if (ticket?.status === 'waiting' && agentId) {
    const answeredAt = deps.now().toISOString();
    const claimed = await deps.tickets.transition(
      ticket.number,
      'in-progress',
      { agent: agentId, answeredAt, firstResponseMet: firstResponseMet(answeredAt, ticket.firstResponseDue) },
      ['waiting'],
    );
    if (claimed) {
      await notifyStatusChange(claimed, deps);
      ticket = claimed;
    }
  }
  const bridge = ticket ? `/twilio/agent/bridge?t=${ticket.number}&a=${encodeURIComponent(agentId)}` : undefined;
  return {
    language,
    verbs: [...(ticket ? [whisper(ticket)] : []), { kind: 'dialQueue', queue: '', reservationSid: reservation, ...(bridge ? { url: bridge } : {}) }],
  };
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
