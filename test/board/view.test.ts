/**
 * The board's parts as a person sees them (board/src/view.ts): HTML text from data, checked without a
 * browser. A waiting P1 and a breach stand out, countdowns carry their due instant, everything is escaped,
 * filters narrow today's tickets, and every word comes from the English or Polish catalog.
 */
import { describe, expect, it } from 'vitest';
import { renderAgents, renderChart, renderDetail, renderQueues, renderTickets, todaysTickets, filterOptions, countdown } from '../../board/src/view.js';
import { translator } from '../../board/src/i18n.js';
import { summarizeQueues, type BoardTicket, type HourBucket } from '../../functions/domain/board.js';

const NOW = Date.parse('2026-05-13T15:00:00Z');
const en = translator('en');
const pl = translator('pl');

function ticket(o: Partial<BoardTicket>): BoardTicket {
  return {
    number: '1000001',
    org: 'contoso',
    orgName: 'Contoso',
    plan: 'business',
    service: 'technical',
    priority: 'P1',
    priorityRank: 0,
    status: 'waiting',
    line: '+18887999666',
    language: 'en-US',
    country: 'US',
    verifiedBy: 'caller-id',
    caller: '+48601234567',
    createdAt: new Date(NOW - 10 * 60_000).toISOString(),
    firstResponseDue: new Date(NOW + 50 * 60_000).toISOString(),
    callSid: 'CA' + '0'.repeat(32),
    priorityQueue: false,
    tier: 1,
    ...o,
  };
}

describe('queues', () => {
  it('a waiting P1 stands out with its countdown to the first breach', () => {
    const html = renderQueues(summarizeQueues([ticket({}), ticket({ number: '1000002', priority: 'P3', priorityRank: 2 })], NOW), ['P1', 'P2', 'P3'], NOW, en);
    expect(html).toMatch(/<tr class="urgent" data-queue="technical\.en-US\.t1">/);
    expect(html).toContain('<span class="flag">P1 waiting</span>');
    expect(html).toContain(`data-due="${new Date(NOW + 50 * 60_000).toISOString()}" data-kind="breach">in 50:00</span>`);
    expect(html).toContain('<span class="level top">P1 <b>1</b></span> <span class="level">P3 <b>1</b></span>');
    expect(html).toContain('>10:00</span>');
  });

  it('a breached queue is marked as such, ahead of the others', () => {
    const late = ticket({ number: '1000003', priority: 'P2', priorityRank: 1, service: 'billing', firstResponseDue: new Date(NOW - 90_000).toISOString() });
    const html = renderQueues(summarizeQueues([ticket({}), late], NOW), ['P1', 'P2'], NOW, en);
    expect(html.indexOf('data-queue="billing.en-US.t1"')).toBeLessThan(html.indexOf('data-queue="technical.en-US.t1"'));
    expect(html).toMatch(/<tr class="breach" data-queue="billing/);
    expect(html).toContain('Breached 1:30 ago');
    expect(renderQueues([], [], NOW, pl)).toContain('Nikt nie czeka');
  });
});

describe('tickets, agents, chart and detail', () => {
  it('escapes what callers and data files put in', () => {
    const html = renderTickets([ticket({ orgName: '<img src=x onerror=alert(1)>' })], 1, NOW, en, 'en');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it("filters today's tickets by status, priority, organization, line and language", () => {
    const list = [
      ticket({}),
      ticket({ number: '2', status: 'closed', priority: 'P3', priorityRank: 2, org: 'northwind', orgName: 'Northwind' }),
      ticket({ number: '3', language: 'pl-PL', line: '+48221234567' }),
      ticket({ number: '4', status: 'closed', createdAt: new Date(NOW - 30 * 3_600_000).toISOString() }),
      ticket({ number: '5', status: 'callback', createdAt: new Date(NOW - 30 * 3_600_000).toISOString() }),
    ];
    const midnight = NOW - 15 * 3_600_000;
    const none = { status: '', priority: '', org: '', line: '', language: '' };
    expect(todaysTickets(list, midnight, none).map((t) => t.number)).toEqual(['1000001', '2', '3', '5']);
    expect(todaysTickets(list, midnight, { ...none, status: 'closed' }).map((t) => t.number)).toEqual(['2']);
    expect(todaysTickets(list, midnight, { ...none, priority: 'P1', language: 'pl-PL' }).map((t) => t.number)).toEqual(['3']);
    expect(todaysTickets(list, midnight, { ...none, org: 'northwind' }).map((t) => t.number)).toEqual(['2']);
    expect(todaysTickets(list, midnight, { ...none, line: '+48221234567' }).map((t) => t.number)).toEqual(['3']);
    const options = filterOptions(list, { ...none, status: 'closed' }, pl);
    expect(options.status).toContain('<option value="closed" selected>zamknięte</option>');
    expect(options.org).toContain('<option value="northwind">Northwind</option>');
    expect(options.priority.indexOf('P1')).toBeLessThan(options.priority.indexOf('P3'));
  });

  it('agents on a call link to their ticket; idle and signed-out agents say so', () => {
    const html = renderAgents(
      [
        { id: '1001', name: 'Sam', state: 'on-call', ticket: '1000001', since: new Date(NOW).toISOString() },
        { id: '1002', state: 'idle', since: new Date(NOW).toISOString() },
        { id: '1003', state: 'signed-out', since: new Date(NOW).toISOString() },
      ],
      en,
      'en',
    );
    expect(html).toContain(
      '<span class="state">On a call with ticket <button type="button" class="link" data-open="1000001" aria-label="Open ticket 1000001">1000001</button></span>',
    );
    expect(html).toContain('Signed in · idle');
    expect(html).toContain('Signed out');
    expect(renderAgents([], pl, 'pl')).toContain('nikt nie zalogował');
  });

  it('the chart has one figure per priority with a text summary for screen readers', () => {
    const hours: HourBucket[] = [
      { hour: '2026-05-13T14:00:00.000Z', waiting: { P1: 2 }, answered: { P1: 1 } },
      { hour: '2026-05-13T15:00:00.000Z', waiting: { P1: 1, P2: 1 }, answered: {} },
    ];
    const html = renderChart({ levels: ['P1', 'P2'], hours }, en, 'en');
    expect(html.match(/<figure/g)).toHaveLength(2);
    expect(html).toContain('aria-label="P1: 3 waiting, 1 answered in the last 2 hours"');
    expect(html).toContain('aria-label="P2: 1 waiting, 0 answered in the last 2 hours"');
    expect(renderChart({ levels: [], hours: [] }, en, 'en')).toContain('No calls yet today.');
  });

  it('the detail shows the due times with countdowns, the timeline and how the caller was verified', () => {
    const tk = ticket({
      restoreDue: new Date(NOW + 230 * 60_000).toISOString(),
      priorityHistory: [{ from: 'P3', to: 'P1', reason: 'down <b>', at: new Date(NOW).toISOString() }],
    });
    const html = renderDetail(
      {
        ticket: tk,
        timeline: [
          { event: 'created', at: tk.createdAt, detail: { priority: 'P3' } },
          { event: 'priority', at: new Date(NOW).toISOString(), detail: { from: 'P3', to: 'P1', reason: 'down <b>' } },
        ],
        verification: [{ method: 'caller-id', result: 'verified', at: tk.createdAt, caller: tk.caller }],
      },
      NOW,
      en,
      'en',
    );
    expect(html).toContain('data-kind="due">50:00 left</span>');
    expect(html).toContain('data-kind="due">3:50:00 left</span>');
    expect(html).toContain('Priority P3 → P1: down &lt;b&gt;');
    expect(html).toContain('By a registered caller ID');
    expect(html).toContain('caller-id: verified');
    expect(countdown(new Date(NOW - 5000).toISOString(), NOW, pl, 'due')).toContain('po terminie o 0:05');
  });
});
