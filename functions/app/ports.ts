/**
 * Every port of the application, in one place: what the flows need from the outside world, as interfaces
 * the app layer owns. Adapters implement them (DynamoDB, SNS, SES, SQS, the local outbox and spool files,
 * twilio's TwiML builder, node:crypto); tests pass the real adapters or in-memory fakes
 * (test/support/fakes/). Nothing here names an SDK, and nothing in app/ or domain/ imports an adapter.
 *
 * `FlowDeps` is the bundle the flows get; the composition root (functions/wiring.ts) builds it once per
 * cold start.
 */
import type { WindowRuleName } from '../domain/abuse-limits.js';
import type { AttemptOutcome, CodeRecord } from '../domain/codes.js';
import type { DailyPinRecord, LockRecord } from '../domain/agents.js';
import type { CallState } from '../domain/call-state.js';
import type { VoiceAnswer } from '../domain/decisions.js';
import type { Agent, LineConfig, Organization, Person } from '../domain/model.js';
import type { Ticket, TicketStatus } from '../domain/tickets.js';

// ---------------------------------------------------------------- the data file (read side)

/** The loaded data file, read side. Implementations cache `config()` briefly; lookups are key reads. */
export interface Directory {
  /** Lines, services, schemes, plans, holidays and the agents' line of the current data generation. */
  config(): Promise<LineConfig>;
  /** People registered with this E.164 phone, across all organizations (usually zero or one). */
  peopleByPhone(phone: string): Promise<Array<{ org: Organization; person: Person }>>;
  /** The organization with this account number, if any. */
  orgByAccount(account: string): Promise<Organization | undefined>;
  orgById(id: string): Promise<Organization | undefined>;
  /** The agent with this id, including `pinHash` (never a clear PIN). */
  agentById(id: string): Promise<Agent | undefined>;
}

// ---------------------------------------------------------------- stores
// Every store throws `StoreUnavailableError` when it cannot answer; lost conditions are results, not throws,
// except where a method says otherwise.

/** What claiming a step of a call found (call-store semantics: see the DynamoDB adapter). */
export type ClaimResult =
  | { kind: 'claimed'; state: CallState }
  /** This step was already answered: replay the answer. */
  | { kind: 'answered'; state: CallState; twiml: string }
  /** The same step is running elsewhere right now (a concurrent retry). */
  | { kind: 'busy'; state: CallState }
  /** The URL is not the step the call is at (skipped ahead, replayed an old step, wrong step name). */
  | { kind: 'out-of-order'; state: CallState }
  | { kind: 'missing' };

/** A call's state between webhooks, with exactly-once steps: claim a step, run it, commit the new state and answer. */
/**
 * A write a step's answer depends on, made with the step's commit: in the same transaction where the store
 * has transactions (one request), else just before the state, each under its own condition. A write whose
 * condition fails is refused, and then nothing of the step is committed (`CommitResult.refused`).
 * `ticket-move`: a ticket moved from exactly `from` to `to` with `fields` (an agent taking a caller).
 */
export type StepWrite = { kind: 'ticket-move'; number: string; from: TicketStatus; to: TicketStatus; fields: Partial<Ticket> };

/** `endedAt`: the call ended while the step ran (see `markEnded`); `refused`: a step write whose condition failed. */
export interface CommitResult {
  endedAt?: string;
  refused?: StepWrite;
}

export interface CallStore {
  /**
   * Stores a new call's state with its first answer; if the call exists (a retried first webhook, a twin),
   * returns it (no state when only the status callback's end mark is stored: the call ended unstored).
   * `claimed`: the new state's step `state.n` is claimed for this request in the same write (the first
   * step runs next and commits), saving a separate claim. `audit`: the answering step's entries, written with it.
   */
  create(
    state: CallState,
    twiml: string,
    nowMs: number,
    opts?: { claimed?: boolean; audit?: readonly AuditWrite[] },
  ): Promise<{ created: true } | { created: false; state?: CallState }>;
  get(callSid: string): Promise<CallState | undefined>;
  /** Claims step number `s` (named `step`) for this request, unless it was answered, is running, or is not the call's step. */
  claim(callSid: string, s: number, step: string, nowMs: number): Promise<ClaimResult>;
  /**
   * Writes the state after step `s` with its answer, only while this request's claim holds (else `ConflictError`).
   * `audit`: the entries the step recorded, written with it: in the same transaction where the store has
   * transactions (one request), else just before it.
   */
  commit(state: CallState, s: number, twiml: string, nowMs: number, audit?: readonly AuditWrite[], writes?: readonly StepWrite[]): Promise<CommitResult>;
  /** Marks the call ended (the first mark stays); false if no call state is stored (the mark is then kept alone). */
  markEnded(callSid: string, atIso: string): Promise<boolean>;
  /**
   * The call's one ticket number: `candidate` if the call had none yet, else the one it claimed before. With
   * `s`, a new number is taken only while this request's claim of step `s` holds (else `ConflictError`).
   */
  claimTicketNumber(callSid: string, candidate: string, s?: number): Promise<string>;
  /**
   * `claimTicketNumber(ticket.callSid, ticket.number, s)` and the ticket stored, in one write where the store
   * has transactions (`stored: true`). Otherwise (no transactions, the call has a number already, the claim
   * is lost) `number` is what `claimTicketNumber` gives, and the ticket under it is the caller's to store.
   */
  claimTicket(ticket: Ticket, s: number): Promise<{ number: string; stored: boolean }>;
  patch(callSid: string, fields: Partial<Pick<CallState, 'queue' | 'ticketNumber'>>): Promise<void>;
}

/** Verification codes of calls, and the per-organization send limit, each limit held by a conditional write. */
export interface CodeStore {
  /** Reserves one send for the organization; false if the policy's sends in its window are spent. */
  reserveSend(orgId: string, nowMs: number): Promise<boolean>;
  put(callSid: string, record: CodeRecord): Promise<void>;
  get(callSid: string): Promise<CodeRecord | undefined>;
  /** Counts one entry of the call's code (right or wrong) atomically and says what it earned. */
  attempt(callSid: string, matches: boolean, nowMs: number): Promise<AttemptOutcome>;
}

export interface TicketFilter {
  status?: TicketStatus;
  priority?: string;
  org?: string;
  limit?: number;
}

/** A ticket with the time its waiting caller last heard their position (waiting.ts), kept on the ticket itself. */
export type AnnouncedTicket = Ticket & { announcedAt?: string };

export interface TicketStore {
  /** The next ticket number (an atomic counter). */
  allocateNumber(): Promise<string>;
  /** Stores the ticket unless its number is taken; returns what is stored under the number (this ticket or the other). */
  putIfAbsent(ticket: Ticket): Promise<Ticket>;
  get(number: string): Promise<Ticket | undefined>;
  /** Moves a ticket to `to` with `fields` if the move is allowed (and it is in `allowedFrom`); undefined if not. */
  transition(number: string, to: TicketStatus, fields: Partial<Ticket>, allowedFrom?: TicketStatus[]): Promise<Ticket | undefined>;
  /** Replaces `current` by `next` only if the stored ticket is still exactly `current` (compare-and-set). */
  replaceIf<T extends Ticket>(current: T, next: T): Promise<boolean>;
  /** Waiting tickets of one queue partition, most urgent first. */
  waiting(service: string, language: string, tier: number, limit?: number): Promise<Ticket[]>;
  /** Callback tickets of one queue partition, in the order they would have had waiting (contract §3 v2). */
  callbacks(service: string, language: string, tier: number, limit?: number): Promise<Ticket[]>;
  /** The organization's tickets of `priority` created since `sinceIso` (fair use). */
  countByOrgSince(org: string, sinceIso: string, priority: string): Promise<number>;
  /** Newest first. */
  list(filter: TicketFilter): Promise<Ticket[]>;
  /** The organization's tickets opened from `caller` since `sinceIso` whose status is one of `statuses`, newest first. */
  openFromCaller(org: string, caller: string, sinceIso: string, statuses: readonly TicketStatus[]): Promise<Ticket[]>;
  /** How many waiting tickets of the ticket's queue partition an agent will take before it (the queue index's own order). */
  waitingAhead(ticket: Ticket): Promise<number>;
  /**
   * The waiting caller's announcements (at most one a minute): sets the ticket's `announcedAt` to `atIso` if it
   * is call `callSid`'s ticket, still waiting, and (with `lastAtOrBefore`) was never announced or last announced
   * at or before that time. The ticket after the write, or undefined when any of that does not hold.
   */
  markAnnounced(number: string, callSid: string, atIso: string, lastAtOrBefore?: string): Promise<AnnouncedTicket | undefined>;
  /** Seconds from creation to answer of tickets of one service and language created since `sinceIso`, newest first. */
  answeredWaits(service: string, language: string, sinceIso: string, limit: number): Promise<number[]>;
  /**
   * A sliding-window limit held by a conditional write: true if `holder` (a call) may count under `key`, which
   * allows `max` holders per `windowMs`. A holder already counted is true again (a retried step counts once).
   */
  reserveInWindow(key: string, holder: string, max: number, windowMs: number, nowMs: number): Promise<boolean>;
}

export interface AuditEntry {
  org: string;
  /** The calling number (From). */
  caller: string;
  callSid: string;
  method: 'caller-id' | 'stir-shaken' | 'code-sms' | 'code-email' | 'account' | 'agent-pin';
  result:
    | 'verified'
    | 'wrong-code'
    | 'code-dead'
    | 'code-expired'
    | 'code-sent'
    | 'send-failed'
    | 'rate-limited'
    | 'account-not-found'
    | 'account-found'
    | 'attestation-missing'
    | 'pin-wrong'
    | 'pin-locked'
    | 'pin-daily-cap';
  /** Agents' line sign-ins (org `_agents`): the agent id keyed in. */
  agent?: string;
  at: string;
}

/** An audit entry as a step records it: `seq` is the call's step number. */
export interface AuditWrite {
  entry: AuditEntry;
  seq: number;
}

/** The verification audit: every outcome of identifying a caller, per organization. Never the code itself. */
export interface AuditLog {
  /** `seq` (the call's step number) keeps two entries of one call at one instant apart. */
  record(entry: AuditEntry, seq: number): Promise<void>;
  /** Newest first. */
  forOrg(org: string, limit?: number): Promise<AuditEntry[]>;
}

export interface FailureResult {
  /** The lock record of this agent id for the calling number. */
  record: LockRecord;
  /** True when this failure is the one that locked the agent id for this number. */
  lockedNow: boolean;
  locked: boolean;
  /** The id's wrong PINs today across numbers; `capReachedNow` once a day, when the supervisors are paged. */
  day: DailyPinRecord & { capReachedNow: boolean };
}

/**
 * Sign-in lockouts of the agents' line, per agent id and calling number (`caller`, E.164; '' when withheld:
 * a bucket of its own), plus the id's daily count across numbers. Each count is a conditional write.
 */
export interface AgentLockStore {
  get(agentId: string, caller?: string): Promise<LockRecord | undefined>;
  isLocked(agentId: string, nowMs: number, caller?: string): Promise<boolean>;
  daily(agentId: string, nowMs: number): Promise<DailyPinRecord | undefined>;
  /** Counts one wrong PIN from `caller`; a replayed `attemptKey` is not counted twice. */
  recordFailure(agentId: string, attemptKey: string, nowMs: number, caller?: string): Promise<FailureResult>;
  clear(agentId: string, nowMs: number, caller?: string): Promise<void>;
}

/** What taking one event of a rolling-window limit found; `slice` is where it was counted, for `giveBack`. */
export interface LimitTake {
  allowed: boolean;
  slice: number;
}

/** An organization's run of wrong code entries, as read. */
export interface CodeRun {
  pausedUntil?: number;
  streak: number;
}

/** What one more wrong code entry did to the organization's run of failures. */
export interface CodeFailureResult {
  streak: number;
  /** True for the one entry that paused code verification (page the on-call team for it). */
  pausedNow: boolean;
  /** Code verification of the organization is paused (now or already). */
  paused: boolean;
}

/** The caller side's abuse limits (domain/abuse-limits.ts), each held by a conditional write. */
export interface AbuseLimits {
  /** Counts one event of `rule` for `subject` if the rolling window has room; refused events are not counted. */
  take(rule: WindowRuleName, subject: string, nowMs: number): Promise<LimitTake>;
  /** Uncounts an event taken in `slice` (an account number that turned out right). */
  giveBack(rule: WindowRuleName, subject: string, slice: number): Promise<void>;
  /**
   * The organization's run of wrong code entries: until when (epoch ms) code verification is paused, if it
   * is, and the wrong entries in a row so far (a right code resets only a run that exists).
   */
  codeRun(orgId: string, nowMs: number): Promise<CodeRun>;
  /** Counts one wrong code entry of the organization; the entry that reaches the cap pauses verification. */
  codeFailed(orgId: string, nowMs: number): Promise<CodeFailureResult>;
  /** A right code ends the organization's run of failures. */
  codeVerified(orgId: string, nowMs: number): Promise<void>;
}

/** Where a ticket goes when DynamoDB cannot take it: a durable queue (SQS on AWS, a spool file locally). */
export interface TicketSpool {
  save(ticket: Ticket): Promise<void>;
}

// ---------------------------------------------------------------- messages out

export type Channel = 'sms' | 'email';

/** One outgoing text message or email. `subject` is for email only. */
export interface OutgoingMessage {
  channel: Channel;
  to: string;
  subject?: string;
  body: string;
}

/** Sends texts and emails (SNS / SES on AWS, the outbox file locally). Throws `DeliveryFailedError`. */
export interface Notifier {
  send(message: OutgoingMessage): Promise<void>;
}

/** Publishes a page for the on-call team (SNS topic on AWS, the outbox locally). */
export interface Pager {
  page(subject: string, body: string): Promise<void>;
}

/**
 * A ticket confirmation or a page that could not go out inline (or, for a spooled ticket, must not go
 * out once per Twilio retry). `key` is per call and kind (`confirm#<CallSid>`, `page#<CallSid>`): however
 * often a call's request is replayed, at most one notice of a key is delivered.
 */
export type Notice =
  | {
      kind: 'confirmation';
      key: string;
      callSid: string;
      /** The ticket number (or spooled reference) the confirmation is about. */
      ticket: string;
      /** A spooled ticket's confirmation: delivered only if the call's ticket is still this reference. */
      spooled?: boolean;
      message: OutgoingMessage;
    }
  | { kind: 'page'; key: string; callSid: string; ticket: string; subject: string; body: string };

/**
 * The durable retry queue of notices (SQS FIFO on AWS, a JSON Lines file beside the outbox locally),
 * drained by a consumer that sends through the Notifier and Pager. `enqueue` resolves only once the notice
 * is kept durably (the caller may then be told "a confirmation will follow"); it throws otherwise.
 */
export interface NoticeQueue {
  enqueue(notice: Notice): Promise<void>;
}

// ---------------------------------------------------------------- rendering and hashing

/** Turns a decision into TwiML; relative URLs are made absolute against `baseUrl` (no trailing slash). */
export interface TwimlRenderer {
  render(answer: VoiceAnswer, baseUrl: string): string;
}

/** Verification codes are kept only as a keyed hash bound to their call. */
export interface CodeHasher {
  hash(key: string, callSid: string, code: string): string;
  /** Constant-time comparison of an entry with a stored hash. */
  matches(key: string, callSid: string, entered: string, storedHash: string): boolean;
}

/** Agents' PINs are kept only as slow salted hashes. */
export interface PinHasher {
  hash(pin: string): Promise<string>;
  /** False for a wrong PIN or a malformed hash, never a throw. */
  verify(pin: string, pinHash: string): Promise<boolean>;
}

// ---------------------------------------------------------------- what the flows get

export type Log = (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;

export interface FlowDeps {
  directory: Directory;
  calls: CallStore;
  codes: CodeStore;
  tickets: TicketStore;
  audit: AuditLog;
  /** Agents' line only; optional so caller-side tests need not build it. */
  agentLocks?: AgentLockStore;
  notifier: Notifier;
  pager?: Pager;
  spool?: TicketSpool;
  /** Where a failed confirmation or page goes to be retried; without it a failure is only told and logged. */
  notices?: NoticeQueue;
  /** Abuse limits of identification; optional so tests of other steps need not build it. */
  limits?: AbuseLimits;
  twiml: TwimlRenderer;
  codeHasher: CodeHasher;
  pins: PinHasher;
  /** Key of the code HMAC (from Secrets Manager on AWS). */
  codeKey: () => Promise<string>;
  now: () => Date;
  /** Waits `ms` (a timer in production; tests pass one that only yields, so no test waits on the real clock). */
  sleep: (ms: number) => Promise<void>;
  /** Uniform integer in [0, max): `crypto.randomInt` in production. */
  randomInt: (max: number) => number;
  taskRouter?: { workflowSid: string };
  log?: Log;
  /** Counts business events (Powertools metrics on AWS): VerificationFailed, TopPriorityTicket, ... */
  metric?: (name: string, value?: number) => void;
  /**
   * How long one webhook's store calls may take in all before the caller is answered without them
   * (app/time-budget.ts; default `STORE_DEADLINE_MS`). Only tests that are not about it give more: on a loaded
   * test machine the real clock runs out for reasons a caller on AWS never meets.
   */
  storeDeadlineMs?: number;
}
