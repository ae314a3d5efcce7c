/**
 * The board's parts as HTML text from data: pure functions (no DOM), so vitest checks what a person
 * sees. Every value is escaped; every word comes from the catalog. Live countdowns are elements with
 * `data-due` (or `data-since`) that main.ts re-labels every second without re-rendering.
 */
import type { BoardTicket, HourBucket, QueueSummary, TimelineEntry } from '../../functions/domain/board.js';
import type { AgentState, TicketDetail } from './api.js';
import { clock, duration, esc, secondsUntil } from './format.js';
import type { T, UiId, UiLanguage } from './i18n.js';

export interface Filters {
  status: string;
  priority: string;
  org: string;
  line: string;
  language: string;
}
export const FILTER_KEYS = ['status', 'priority', 'org', 'line', 'language'] as const;

/** A countdown to `iso`: "in 12:04" / "Breached 0:31 ago", re-labelled every second by main.ts. */
export function countdown(iso: string, nowMs: number, t: T, kind: 'breach' | 'due'): string {
  const s = secondsUntil(iso, nowMs) ?? 0;
  const label =
    kind === 'breach'
      ? s < 0
        ? t('breached', { time: duration(s) })
        : t('breach-in', { time: duration(s) })
      : s < 0
        ? t('due-over', { time: duration(s) })
        : t('due-left', { time: duration(s) });
  return `<span class="countdown${s < 0 ? ' over' : s < 900 ? ' soon' : ''}" data-due="${esc(iso)}" data-kind="${kind}">${esc(label)}</span>`;
}

export function renderQueues(queues: readonly QueueSummary[], levels: readonly string[], serverNowMs: number, t: T): string {
  if (!queues.length) return `<p class="empty">${esc(t('queues-empty'))}</p>`;
  const rows = queues.map((q) => {
    const cls = q.breached ? 'breach' : q.topPriorityWaiting ? 'urgent' : '';
    const order = [...new Set([...levels, ...Object.keys(q.waiting)])].filter((l) => q.waiting[l]);
    const waiting = order.length
      ? order
          .map((l, i) => `<span class="level${i === 0 && q.topPriorityWaiting && l === order[0] ? ' top' : ''}">${esc(l)} <b>${q.waiting[l]}</b></span>`)
          .join(' ')
      : esc(t('none'));
    const due = q.firstBreachInS === null ? esc(t('none')) : countdown(new Date(serverNowMs + q.firstBreachInS * 1000).toISOString(), serverNowMs, t, 'breach');
    const wait = q.waitingTotal
      ? `<span data-since="${esc(new Date(serverNowMs - q.longestWaitS * 1000).toISOString())}">${duration(q.longestWaitS)}</span>`
      : esc(t('none'));
    const flag = q.topPriorityWaiting ? ` <span class="flag">${esc(t('p1-waiting', { level: order[0] ?? '' }))}</span>` : '';
    return `<tr class="${cls}" data-queue="${esc(q.id)}"><th scope="row">${esc(q.service)} · ${esc(q.language)} · ${esc(t('tier', { tier: q.tier }))}${flag}</th><td>${waiting}</td><td>${wait}</td><td>${q.callbacks}</td><td>${due}</td></tr>`;
  });
  return table(['col-queue', 'col-waiting', 'col-longest', 'col-callbacks', 'col-breach'], rows, t, 'queues-table');
}

export function renderAgents(agents: readonly AgentState[], t: T, lang: UiLanguage): string {
  if (!agents.length) return `<p class="empty">${esc(t('agents-empty'))}</p>`;
  const items = agents.map((a) => {
    const state = a.state === 'on-call' ? t('agent-on-call') : a.state === 'idle' ? t('agent-idle') : t('agent-signed-out');
    const open =
      a.state === 'on-call' && a.ticket
        ? ` <button type="button" class="link" data-open="${esc(a.ticket)}" aria-label="${esc(t('open', { number: a.ticket }))}">${esc(a.ticket)}</button>`
        : '';
    return `<li class="agent ${a.state}" data-agent="${esc(a.id)}"><span class="dot" aria-hidden="true"></span><b>${esc(a.name ?? a.id)}</b> <span class="muted">(${esc(a.id)})</span> — <span class="state">${esc(state)}${open}</span> <span class="muted">${esc(t('agent-since', { time: clock(a.since, lang) }))}</span></li>`;
  });
  return `<ul class="agents">${items.join('')}</ul>`;
}

/** One small bar chart per priority: per hour, callers waiting (solid) and answered (outlined). */
export function renderChart(hourly: { levels: readonly string[]; hours: readonly HourBucket[] }, t: T, lang: UiLanguage): string {
  const levels = hourly.levels.length ? hourly.levels : [];
  if (!levels.length) return `<p class="empty">${esc(t('chart-empty'))}</p>`;
  const hours = hourly.hours;
  const max = Math.max(1, ...hours.flatMap((h) => levels.flatMap((l) => [h.waiting[l] ?? 0, h.answered[l] ?? 0])));
  const W = 8;
  const H = 48;
  const charts = levels.map((l) => {
    const waiting = hours.reduce((s, h) => s + (h.waiting[l] ?? 0), 0);
    const answered = hours.reduce((s, h) => s + (h.answered[l] ?? 0), 0);
    const summary = t('chart-summary', { level: l, waiting, answered, hours: hours.length });
    const bars = hours
      .map((h, i) => {
        const w = ((h.waiting[l] ?? 0) / max) * H;
        const a = ((h.answered[l] ?? 0) / max) * H;
        const x = i * (2 * W + 2);
        const title = `${clock(h.hour, lang)}: ${h.waiting[l] ?? 0} / ${h.answered[l] ?? 0}`;
        return `<g><title>${esc(title)}</title><rect class="w" x="${x}" y="${H - w}" width="${W}" height="${w}"/><rect class="a" x="${x + W + 0.5}" y="${H - a + 0.5}" width="${W - 1}" height="${Math.max(0, a - 1)}"/></g>`;
      })
      .join('');
    const width = Math.max(1, hours.length * (2 * W + 2));
    return `<figure class="chart" data-level="${esc(l)}"><figcaption>${esc(summary)}</figcaption><svg viewBox="0 0 ${width} ${H}" role="img" aria-label="${esc(summary)}" preserveAspectRatio="none">${bars}</svg><div class="axis"><span>${esc(clock(hours[0]?.hour, lang))}</span><span>${esc(clock(hours.at(-1)?.hour, lang))}</span></div></figure>`;
  });
  return `<p class="muted">${esc(t('chart-legend'))}</p><div class="charts">${charts.join('')}</div>`;
}

/** Today's tickets (opened since local midnight, or still open), filtered. */
export function todaysTickets(tickets: readonly BoardTicket[], startOfDayMs: number, f: Filters): BoardTicket[] {
  return tickets.filter((tk) => {
    const open = tk.status === 'waiting' || tk.status === 'callback' || tk.status === 'in-progress';
    if (!open && Date.parse(tk.createdAt) < startOfDayMs) return false;
    return FILTER_KEYS.every((k) => !f[k] || String(tk[k]) === f[k]);
  });
}

/** The choices of each filter, from the data (today's tickets plus the current choice). */
export function filterOptions(tickets: readonly BoardTicket[], f: Filters, t: T): Record<(typeof FILTER_KEYS)[number], string> {
  const out = {} as Record<(typeof FILTER_KEYS)[number], string>;
  for (const k of FILTER_KEYS) {
    const values = [...new Set([...tickets.map((tk) => String(tk[k])), ...(f[k] ? [f[k]] : [])])].sort();
    if (k === 'priority') values.sort((a, b) => rankOf(tickets, a) - rankOf(tickets, b));
    const label = (v: string) => (k === 'status' ? t(`status-${v}` as UiId) : k === 'org' ? (tickets.find((tk) => tk.org === v)?.orgName ?? v) : v);
    out[k] = [
      `<option value="">${esc(t('filter-any'))}</option>`,
      ...values.map((v) => `<option value="${esc(v)}"${v === f[k] ? ' selected' : ''}>${esc(label(v))}</option>`),
    ].join('');
  }
  return out;
}

const rankOf = (tickets: readonly BoardTicket[], level: string) => tickets.find((tk) => tk.priority === level)?.priorityRank ?? 99;

export function renderTickets(list: readonly BoardTicket[], total: number, nowMs: number, t: T, lang: UiLanguage, selected?: string): string {
  const count = `<p class="muted" aria-live="polite">${esc(t('tickets-count', { shown: list.length, total }))}</p>`;
  if (!list.length) return `${count}<p class="empty">${esc(t('tickets-empty'))}</p>`;
  const rows = list.map((tk) => {
    const open = tk.status === 'waiting' || tk.status === 'callback';
    const due = open ? countdown(tk.firstResponseDue, nowMs, t, 'due') : esc(clock(tk.firstResponseDue, lang));
    const cls = [tk.priorityRank === 0 && tk.status === 'waiting' ? 'urgent' : '', tk.number === selected ? 'selected' : ''].filter(Boolean).join(' ');
    return (
      `<tr class="${cls}" data-ticket="${esc(tk.number)}"><th scope="row"><button type="button" class="link" data-open="${esc(tk.number)}" aria-label="${esc(t('open', { number: tk.number }))}">${esc(tk.number)}</button></th>` +
      `<td>${esc(clock(tk.createdAt, lang))}</td><td><span class="prio r${Math.min(tk.priorityRank, 3)}">${esc(tk.priority)}</span></td><td><span class="status ${esc(tk.status)}">${esc(t(`status-${tk.status}` as UiId))}</span></td>` +
      `<td>${esc(tk.orgName)}</td><td>${esc(tk.service)}</td><td>${esc(tk.agent ?? '')}</td><td>${due}</td></tr>`
    );
  });
  return count + table(['col-number', 'col-created', 'col-priority', 'col-status', 'col-org', 'col-service', 'col-agent', 'col-due'], rows, t, 'tickets-table');
}

export function renderTimeline(entries: readonly TimelineEntry[], t: T, lang: UiLanguage): string {
  const ids: Record<TimelineEntry['event'], UiId> = {
    created: 'ev-created',
    queued: 'ev-queued',
    callback: 'ev-callback',
    answered: 'ev-answered',
    bridged: 'ev-bridged',
    abandoned: 'ev-abandoned',
    priority: 'ev-priority',
    closed: 'ev-closed',
  };
  const items = entries.map((e) => {
    const extra = e.event === 'closed' && e.detail?.resolution ? `: ${e.detail.resolution}` : '';
    return `<li data-event="${e.event}"><time datetime="${esc(e.at)}">${esc(clock(e.at, lang))}</time> ${esc(t(ids[e.event], { agent: '', ...e.detail }) + extra)}</li>`;
  });
  return `<ol class="timeline">${items.join('')}</ol>`;
}

/** The detail panel's live part: who, due times with countdowns, the timeline, the verification. */
export function renderDetail(d: TicketDetail, nowMs: number, t: T, lang: UiLanguage): string {
  const tk = d.ticket;
  const dueRow = (label: UiId, iso: string | undefined) => {
    if (!iso) return '';
    let state: string;
    if (tk.answeredAt && label === 'due-first')
      state = `${esc(clock(iso, lang))} · ${esc(t(Date.parse(tk.answeredAt) <= Date.parse(iso) ? 'due-met' : 'due-missed'))}`;
    else if (tk.status === 'closed') state = esc(clock(iso, lang));
    else state = `${esc(clock(iso, lang))} · ${countdown(iso, nowMs, t, 'due')}`;
    return `<dt>${esc(t(label))}</dt><dd>${state}</dd>`;
  };
  const verification = d.verification.length
    ? `<ul>${d.verification.map((v) => `<li><time datetime="${esc(v.at)}">${esc(clock(v.at, lang))}</time> ${esc(v.method)}: ${esc(v.result)}</li>`).join('')}</ul>`
    : `<p class="muted">${esc(t('verification-none'))}</p>`;
  return (
    `<p><span class="prio r${Math.min(tk.priorityRank, 3)}">${esc(tk.priority)}</span> <span class="status ${esc(tk.status)}">${esc(t(`status-${tk.status}` as UiId))}</span> ` +
    `${esc(t('detail-caller', { org: tk.orgName, caller: tk.callerName ?? tk.caller, service: tk.service, line: tk.line, language: tk.language }))}</p>` +
    `<dl class="dues">${dueRow('due-first', tk.firstResponseDue)}${dueRow('due-restore', tk.restoreDue)}</dl>` +
    `<h3>${esc(t('timeline'))}</h3>${renderTimeline(d.timeline, t, lang)}` +
    `<h3>${esc(t('verification'))}</h3><p>${esc(t('verified-by', { method: tk.verifiedBy }))}</p>${verification}`
  );
}

function table(headers: UiId[], rows: string[], t: T, cls: string): string {
  return `<div class="scroll" tabindex="0"><table class="${cls}"><thead><tr>${headers.map((h) => `<th scope="col">${esc(t(h))}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}
