/**
 * The automatic escalation run (issue 17): every unanswered ticket of a plan with `autoEscalate` that is past
 * its first-response due time moves to tier 2 (the same escalation as POST /api/tickets/{n}/escalate) and
 * the on-call team is paged. Run by EventBridge Scheduler on AWS (handlers/escalation.ts) and by a timer in
 * the local server. Idempotent: an escalated ticket is tier 2 and is not picked again, and only the run whose
 * compare-and-set moved it pages, so overlapping runs page once.
 */
import { dueForEscalation, UNANSWERED } from '../domain/escalation.js';
import { escalationPageNotice } from '../domain/speech/texts.js';
import { escalateTicketByNumber } from './escalate-ticket.js';
import type { Directory, Log, Pager, TicketStore } from './ports.js';

export interface AutoEscalateDeps {
  tickets: Pick<TicketStore, 'list' | 'get' | 'replaceIf'>;
  directory: Pick<Directory, 'config' | 'orgById'>;
  pager?: Pager;
  now: () => Date;
  log?: Log;
  metric?: (name: string, value?: number) => void;
}

/** Tickets read per status and run: a backlog larger than this is worked off over the next runs. */
const READ_LIMIT = 1000;

export async function runAutoEscalation(deps: AutoEscalateDeps): Promise<{ checked: number; escalated: string[] }> {
  const config = await deps.directory.config();
  if (!Object.values(config.plans).some((p) => p.autoEscalate)) return { checked: 0, escalated: [] };
  const lists = await Promise.all(UNANSWERED.map((status) => deps.tickets.list({ status, limit: READ_LIMIT })));
  const candidates = dueForEscalation(lists.flat(), config, deps.now().getTime());
  const escalated: string[] = [];
  for (const t of candidates) {
    const result = await escalateTicketByNumber(t.number, deps);
    if (result.kind !== 'escalated') continue;
    escalated.push(t.number);
    deps.metric?.('TicketAutoEscalated');
    deps.log?.('info', 'ticket escalated: first response overdue', { ticket: t.number, due: t.firstResponseDue });
    const org = await deps.directory.orgById(t.org).catch(() => undefined);
    // The team of the ticket's line, in the line's language; the missed time local with its zone, never ISO.
    const line = config.lines.find((l) => l.number === t.line);
    const page = escalationPageNotice(
      { ...t, orgName: org?.name ?? t.orgName },
      { language: line?.language ?? t.language, services: config.services, timeZone: line?.timezone ?? 'UTC', now: deps.now() },
    );
    await deps.pager
      ?.page(page.subject, page.body)
      .catch((e: unknown) => deps.log?.('error', 'escalation page failed', { ticket: t.number, error: String(e) }));
  }
  return { checked: lists.reduce((n, l) => n + l.length, 0), escalated };
}
