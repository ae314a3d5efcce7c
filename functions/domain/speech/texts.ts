/**
 * What the flows put into sentences and what they send: priority meanings, service names, the language
 * menu, and the texts and emails of codes, tickets, status changes and pages, each from the catalog of
 * the language spoken on the call (or of the organization's ticket), never built in a flow.
 */
import type { Message } from '../decisions.js';
import type { PriorityLevel, Service } from '../model.js';
import type { MessageId, Params } from '../messages/catalog.js';
import { formatDue, spokenDuration, text, ticketDigits, type SpeakOptions } from './format.js';

/**
 * The one-line meaning of a priority level: the data file's own text in the language (exact tag, then
 * primary subtag), else the catalog's default for the level's place in the scheme (first and last always
 * the most and least urgent; middle levels of longer or shorter schemes share the middle meanings).
 */
export function priorityMeaning(language: string, level: PriorityLevel, index: number, count: number, opts: SpeakOptions = {}): string {
  const own = level.meaning?.[language] ?? level.meaning?.[language.split('-')[0]!];
  if (own) return own;
  const slot = count === 4 ? index + 1 : index === 0 ? 1 : index === count - 1 ? 4 : Math.min(3, index + 1);
  return text(language, `priority-meaning-${slot}` as MessageId, {}, opts);
}

/** How a service is named aloud: the data file's name in the language, else the catalog's built-in name. */
export function spokenServiceName(services: Record<string, Service>, id: string, language: string, opts: SpeakOptions = {}): string {
  const names = services[id]?.names;
  const own = names?.[language] ?? names?.[language.split('-')[0]!];
  if (own) return own;
  if (id === 'technical') return text(language, 'service-technical', {}, opts);
  if (id === 'billing') return text(language, 'service-billing', {}, opts);
  return text(language, 'service-other', { id }, opts);
}

/**
 * The language menu: each option said in its own language and voice ("Für Deutsch drücken Sie die 3."),
 * as messages carrying their own `language`, so the renderer speaks each one with that language's voice
 * inside the same Gather.
 */
export function languageMenuPrompt(tags: readonly string[], opts: SpeakOptions = {}): Message[] {
  return tags.map((tag, i) => ({
    id: 'language-option',
    params: { name: text(tag, 'language-name', {}, opts), digit: i + 1 },
    language: tag,
  }));
}

/** A text message or email, ready for the Notifier port (the flow adds channel and destination). */
export interface Notice {
  subject?: string;
  body: string;
}

export function codeNotice(language: string, channel: 'sms' | 'email', code: string, opts: SpeakOptions = {}): Notice {
  if (channel === 'sms') return { body: text(language, 'sms-code', { code }, opts) };
  return { subject: text(language, 'email-code-subject', {}, opts), body: text(language, 'email-code-body', { code }, opts) };
}

export interface TicketFacts {
  number: string;
  priority: string;
  /** Service id; named through `spokenServiceName`. */
  service: string;
  orgName: string;
  status: string;
  firstResponseDue: string;
}

interface WhenOptions extends SpeakOptions {
  services: Record<string, Service>;
  timeZone: string;
  now: Date;
  /** Confirmations go to people anywhere: the zone is named unless the caller asks otherwise. */
  nameZone?: boolean;
}

/** The confirmation of a new ticket: number, priority, service and the first-response time in local time and zone. */
export function ticketOpenedNotice(language: string, channel: 'sms' | 'email', t: TicketFacts, o: WhenOptions): Notice {
  const params: Params = {
    number: t.number,
    priority: t.priority,
    service: spokenServiceName(o.services, t.service, language, o),
    org: t.orgName,
    due: formatDue(language, t.firstResponseDue, { ...o, nameZone: o.nameZone ?? true }),
  };
  const body = text(language, t.status === 'callback' ? 'ticket-opened-callback-text' : 'ticket-opened-text', params, o);
  return channel === 'sms' ? { body } : { subject: text(language, 'ticket-opened-subject', params, o), body };
}

/** A ticket's new status, told to the organization in the ticket's language. */
export function statusNotice(language: string, channel: 'sms' | 'email', t: TicketFacts, o: Pick<WhenOptions, 'services' | 'among'>): Notice {
  const params: Params = {
    number: t.number,
    priority: t.priority,
    service: spokenServiceName(o.services, t.service, language, o),
    org: t.orgName,
    status: t.status,
  };
  const body = text(language, 'ticket-status-text', params, o);
  return channel === 'sms' ? { body } : { subject: text(language, 'ticket-status-subject', params, o), body };
}

/**
 * The page to the on-call team for a top-priority ticket. The team is the line's, so the page is in the
 * line's language (`language`: the line's tag, not the caller's menu choice), the due time local with its zone.
 */
export function pageNotice(t: TicketFacts & { plan: string; line: string }, o: WhenOptions & { language: string }): Required<Notice> {
  const { language } = o;
  const params: Params = {
    number: t.number,
    priority: t.priority,
    service: spokenServiceName(o.services, t.service, language, o),
    org: t.orgName,
    plan: t.plan,
    line: t.line,
    due: formatDue(language, t.firstResponseDue, { ...o, nameZone: true }),
  };
  return { subject: text(language, 'page-subject', params, o), body: text(language, 'page-text', params, o) };
}

/** The page of an automatic escalation (first response overdue): the line's language, the missed time local with its zone. */
export function escalationPageNotice(t: TicketFacts & { plan: string }, o: WhenOptions & { language: string }): Required<Notice> {
  const { language } = o;
  const params: Params = {
    number: t.number,
    priority: t.priority,
    org: t.orgName,
    plan: t.plan,
    due: formatDue(language, t.firstResponseDue, { ...o, nameZone: true }),
  };
  return { subject: text(language, 'page-escalated-subject', params, o), body: text(language, 'page-escalated-body', params, o) };
}

/** The page when an organization's code verification pauses after a run of wrong codes, in the line's language. */
export function codePausedPageNotice(
  language: string,
  p: { org: string; orgId: string; count: number; minutes: number },
  opts: SpeakOptions = {},
): Required<Notice> {
  const params: Params = { org: p.org, id: p.orgId, count: p.count, minutes: p.minutes, duration: spokenDuration(language, p.minutes * 60_000, opts) };
  return { subject: text(language, 'page-code-paused-subject', params, opts), body: text(language, 'page-code-paused-body', params, opts) };
}

/** The whisper's parameters: the ticket number in groups and the service's spoken name, in the agent's language. */
export function whisperParams(
  language: string,
  t: TicketFacts & { plan: string; verifiedBy: string },
  services: Record<string, Service>,
  opts: SpeakOptions = {},
): Params {
  return {
    digits: ticketDigits(language, t.number, opts),
    priority: t.priority,
    org: t.orgName,
    plan: t.plan,
    method: t.verifiedBy,
    service: spokenServiceName(services, t.service, language, opts),
  };
}
