/**
 * A caller on hold (contract §2.9 v2): the `waitUrl` says their honest position (everyone an agent will take
 * first, across priorities of their service and language, in the queue index's own order, callbacks that
 * kept their place included) and an estimate
 * from recent answered waits, at most once a minute, with hold music between; `1` leaves a callback that
 * keeps the caller's place (the ticket becomes `callback`, `createdAt` unchanged, then `<Leave/>`); the
 * Enqueue action confirms it, or says that a full queue kept the ticket as a callback.
 *
 * None of these requests is a numbered step of the call: they carry the ticket number (`t`) and are checked
 * against it (the ticket must be this call's), and every change is a compare-and-set on the ticket, so a
 * replayed, forged or late request changes nothing it should not.
 */
import { say, type Verb, type VoiceAnswer } from '../../domain/decisions.js';
import { StoreUnavailableError } from '../../domain/errors.js';
import { callbackDue } from '../../domain/agent-life.js';
import { queueSortKey, type Ticket } from '../../domain/tickets.js';
import type { AnnouncedTicket, FlowDeps } from '../ports.js';
import { recentAnsweredWaits } from './recent-waits.js';
import { ticketDigits } from '../../domain/speech/format.js';

/** Twilio's own hold music (its default waitUrl plays the same collection), for lines without `holdMusic`. */
export const DEFAULT_HOLD_MUSIC = 'http://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3';
/** Seconds between two announcements at least. */
export const ANNOUNCE_EVERY_S = 60;
/** A wait request this soon after an announcement is a retry of the same request. */
const REPLAY_WINDOW_MS = 5_000;
/** Recent answered waits an estimate needs, and how far back they are read. */
const ESTIMATE = { minSamples: 3, samples: 20, windowMs: 2 * 3_600_000 } as const;
/** Callback tickets read to count those ahead: a partition's head, far more than ever wait at once. */
const CALLBACKS_READ = 100;

export interface WaitRequest {
  /** The ticket number from the URL (`t`), unchecked. */
  ticket: string;
  language: string;
  params: Record<string, string>;
}

/**
 * Minutes a caller who has waited `waitedS` seconds may still wait: the median of recent answered waits less
 * what they waited already, at least one; undefined without enough data (no estimate is better than a made-up one).
 */
export function estimateMinutes(recentWaitsS: readonly number[], waitedS: number): number | undefined {
  if (recentWaitsS.length < ESTIMATE.minSamples) return undefined;
  const sorted = [...recentWaitsS].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.max(1, Math.ceil((median - Math.max(0, waitedS)) / 60));
}

/**
 * The caller's place: waiting callers an agent takes first, and the callbacks that keep a place ahead of
 * them (agents get callbacks in the same order, contract §3 v2), as far as they may be dialed now.
 */
async function positionOf(ticket: Ticket, deps: FlowDeps, nowMs: number): Promise<number> {
  const [waiting, callbacks, config] = await Promise.all([
    deps.tickets.waitingAhead(ticket),
    deps.tickets.callbacks(ticket.service, ticket.language, ticket.tier, CALLBACKS_READ),
    deps.directory.config(),
  ]);
  const key = queueSortKey(ticket);
  return waiting + callbacks.filter((c) => queueSortKey(c) < key && callbackDue(c, config, nowMs)).length + 1;
}

/** The caller's own waiting ticket, or undefined for a request that does not belong to one (missing, absurd, someone else's). */
async function ticketOf(req: WaitRequest, deps: FlowDeps): Promise<Ticket | undefined> {
  if (!/^\d{1,12}$/.test(req.ticket)) return undefined;
  const ticket = await deps.tickets.get(req.ticket);
  return ticket && ticket.callSid === req.params.CallSid ? ticket : undefined;
}

async function musicOf(ticket: Ticket | undefined, deps: FlowDeps): Promise<string> {
  if (!ticket) return DEFAULT_HOLD_MUSIC;
  const config = await deps.directory.config();
  return config.lines.find((l) => l.number === ticket.line)?.holdMusic ?? DEFAULT_HOLD_MUSIC;
}

const keyUrl = (req: WaitRequest) => `/twilio/call/wait-key?t=${req.ticket}&lang=${encodeURIComponent(req.language)}`;

/** Hold music a key may interrupt (`1` for a callback), after what is to be said. */
function holdGather(req: WaitRequest, said: Verb[], music: string): Verb {
  const prompt = said.flatMap((v) => (v.kind === 'say' ? [v.message] : []));
  return { kind: 'gather', prompt, action: keyUrl(req), numDigits: 1, finishOnKey: '', timeout: 1, actionOnEmptyResult: false, play: music };
}

/** The position, the estimate and the callback offer: what an announcement says, for a ticket marked announced. */
async function announcement(req: WaitRequest, ticket: Ticket, deps: FlowDeps, nowMs: number): Promise<Verb[]> {
  const query = { service: ticket.service, language: ticket.language, ...ESTIMATE };
  const [position, waits] = await Promise.all([positionOf(ticket, deps, nowMs), recentAnsweredWaits(deps.tickets, query, nowMs)]);
  const waited = Number.parseInt(req.params.QueueTime ?? '', 10);
  const minutes = estimateMinutes(waits, Number.isFinite(waited) ? waited : (nowMs - Date.parse(ticket.createdAt)) / 1000);
  return [say('queue-position', { position }), ...(minutes ? [say('queue-estimate', { minutes })] : []), say('queue-callback-offer')];
}

/**
 * What a wait request hears: an announcement when none was made in the last minute, else music. The ticket
 * is checked and marked announced in one conditional write (it must be this call's and waiting); only when
 * that write is refused is the ticket read, to tell why: not the caller's or no longer waiting (plain hold),
 * announced within seconds (Twilio retrying the same request: the same announcement again, nothing
 * marked), or within the minute (music only).
 */
async function waitTurn(req: WaitRequest, deps: FlowDeps): Promise<VoiceAnswer> {
  const nowMs = deps.now().getTime();
  const callSid = req.params.CallSid ?? '';
  const marked = await deps.tickets.markAnnounced(req.ticket, callSid, new Date(nowMs).toISOString(), new Date(nowMs - ANNOUNCE_EVERY_S * 1000).toISOString());
  if (marked) {
    const [said, music] = await Promise.all([announcement(req, marked, deps, nowMs), musicOf(marked, deps)]);
    return { language: req.language, verbs: [holdGather(req, said, music)] };
  }
  const ticket = (await ticketOf(req, deps)) as AnnouncedTicket | undefined;
  const music = await musicOf(ticket, deps);
  if (!ticket || ticket.status !== 'waiting') return plainHold(req, [], music);
  const since = nowMs - Date.parse(ticket.announcedAt ?? '');
  // Never announced yet (it was not waiting a moment ago, when the write was refused): announced now, marked next time.
  const said = !Number.isFinite(since) || since < REPLAY_WINDOW_MS ? await announcement(req, ticket, deps, nowMs) : [];
  return { language: req.language, verbs: [holdGather(req, said, music)] };
}

/** Plain hold for a request that is not tied to a waiting ticket of this call: no callback key, nothing changed. */
function plainHold(req: WaitRequest, before: Verb[], music: string): VoiceAnswer {
  return { language: req.language, verbs: [...before, say('queue-hold-on'), { kind: 'play', url: music }] };
}

/** An agent has the ticket already: that sentence asks the caller to stay on the line, so it is not asked twice. */
function takenHold(req: WaitRequest, music: string): VoiceAnswer {
  return { language: req.language, verbs: [say('queue-callback-taken'), { kind: 'play', url: music }] };
}

/** The waitUrl. */
export async function waitAnswer(req: WaitRequest, deps: FlowDeps): Promise<VoiceAnswer> {
  try {
    return await waitTurn(req, deps);
  } catch (e) {
    if (!(e instanceof StoreUnavailableError)) throw e;
    // The caller keeps their place in Twilio's queue whatever the store does: hold music, no dead air.
    return plainHold(req, [], DEFAULT_HOLD_MUSIC);
  }
}

/** A key pressed while waiting: `1` leaves a callback, `*` repeats the announcement, anything else is explained. */
export async function waitKeyAnswer(req: WaitRequest, deps: FlowDeps): Promise<VoiceAnswer> {
  const digits = req.params.Digits ?? '';
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      const ticket = await ticketOf(req, deps);
      const music = await musicOf(ticket, deps);
      if (!ticket) return plainHold(req, digits === '1' ? [say('queue-callback-unavailable')] : [], music);
      // A repeated `1` (a retried request) finds the callback already left: leave the queue again.
      if (ticket.status === 'callback' && digits === '1') return { language: req.language, verbs: [{ kind: 'leave' }] };
      if (ticket.status !== 'waiting') return digits === '1' ? takenHold(req, music) : plainHold(req, [], music);
      if (digits === '1') {
        const next: Ticket = { ...ticket, status: 'callback' };
        if (await deps.tickets.replaceIf(ticket, next)) return { language: req.language, verbs: [{ kind: 'leave' }] };
        continue; // an agent took it or it changed meanwhile: decide again on what it is now
      }
      const said = digits.includes('*') ? await repeatAnnouncement(req, ticket, deps) : [say('queue-key-invalid'), say('queue-callback-offer')];
      return { language: req.language, verbs: [holdGather(req, said, music)] };
    }
    return takenHold(req, DEFAULT_HOLD_MUSIC);
  } catch (e) {
    if (!(e instanceof StoreUnavailableError)) throw e;
    return plainHold(req, digits === '1' ? [say('queue-callback-unavailable')] : [], DEFAULT_HOLD_MUSIC);
  }
}

/** `*` while waiting: the announcement now, whenever the last was; the next one is then a minute away. */
async function repeatAnnouncement(req: WaitRequest, ticket: Ticket, deps: FlowDeps): Promise<Verb[]> {
  const nowMs = deps.now().getTime();
  const [said] = await Promise.all([
    announcement(req, ticket, deps, nowMs),
    deps.tickets
      .markAnnounced(ticket.number, ticket.callSid, new Date(nowMs).toISOString())
      .catch((e: unknown) => deps.log?.('warn', 'announcement time not kept', { error: String(e) })),
  ]);
  return said;
}

/**
 * The Enqueue action: the caller left the queue. `leave` after a callback key: the confirmation. A full queue
 * (or Twilio failing to queue): the ticket is kept as a callback, in its place, and the caller told so before
 * the hang-up. A hang-up while waiting: the ticket is abandoned (kept for a callback).
 */
export async function queueResultAnswer(req: WaitRequest, deps: FlowDeps): Promise<VoiceAnswer> {
  const result = req.params.QueueResult ?? '';
  const end = (verbs: Verb[]): VoiceAnswer => ({ language: req.language, verbs: [...verbs, { kind: 'hangup' }] });
  const ticket = await ticketOf(req, deps).catch((e: unknown) => {
    deps.log?.('warn', 'queue result: ticket not read', { error: String(e) });
    return undefined;
  });
  if (!ticket) return end(result === 'queue-full' || result === 'error' || result === 'system-error' ? [say('error-store')] : []);
  const digits = ticketDigits(req.language, ticket.number);
  if (result === 'leave' && ticket.status === 'callback') return end([say('queue-callback-kept', { digits })]);
  if (result === 'queue-full' || result === 'error' || result === 'system-error') {
    if (ticket.status === 'waiting') await deps.tickets.replaceIf(ticket, { ...ticket, status: 'callback' });
    return end([say('queue-full', { digits })]);
  }
  if (result === 'hangup' || result === 'leave') {
    await deps.tickets
      .transition(ticket.number, 'abandoned', { abandonedAt: deps.now().toISOString() }, ['waiting'])
      .catch((e: unknown) => deps.log?.('warn', 'abandon failed', { number: ticket.number, error: String(e) }));
  }
  return end([]);
}
