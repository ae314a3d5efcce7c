/**
 * Automatic escalation (issue 17): an unanswered ticket of an `autoEscalate` plan past its first-response
 * due time moves to tier 2 through the same escalation as the API, pages once, and reaches the engineers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAutoEscalation } from '../../functions/app/auto-escalate.js';
import { dueForEscalation } from '../../functions/domain/escalation.js';
import { agentData, startAgentHarness, type AgentHarness } from './agent-support.js';

let h: AgentHarness;
const pages: Array<{ subject: string; body: string }> = [];
const data = { ...agentData, plans: { ...agentData.plans, premier: { ...agentData.plans.premier!, autoEscalate: true } } };
beforeAll(async () => {
  h = await startAgentHarness({ data });
});
afterAll(async () => {
  await h?.stop();
});
const run = () => runAutoEscalation({ ...h.deps, pager: { page: async (subject, body) => void pages.push({ subject, body }) } });

describe('dueForEscalation', () => {
  const base = { status: 'waiting' as const, plan: 'premier', tier: 1, firstResponseDue: '2026-05-13T10:00:00.000Z', number: '1' };
  const now = Date.parse('2026-05-13T10:00:01Z');
  it('picks unanswered tickets of autoEscalate plans past due, below tier 2, most overdue first', () => {
    const tickets = [
      { ...base, number: '2', firstResponseDue: '2026-05-13T09:00:00.000Z' },
      base,
      { ...base, number: '3', status: 'callback' as const },
      { ...base, number: '4', status: 'abandoned' as const },
      { ...base, number: '5', status: 'in-progress' as const, answeredAt: '2026-05-13T09:30:00.000Z' },
      { ...base, number: '6', tier: 2 },
      { ...base, number: '7', plan: 'business' },
      { ...base, number: '8', firstResponseDue: '2026-05-13T10:00:01.000Z' },
      { ...base, number: '9', status: 'closed' as const },
    ];
    expect(dueForEscalation(tickets, data, now).map((t) => t.number)).toEqual(['2', '1', '3', '4']);
  });
});

describe('runAutoEscalation', () => {
  it('escalates an overdue premier ticket once, pages once, and the engineer takes it', async () => {
    const due = await h.waitingCaller({ org: 'fabrikam', priorityRank: 0 });
    const business = await h.waitingCaller({ org: 'contoso', priorityRank: 0 });
    expect((await run()).escalated).toEqual([]);
    h.clock.now += 3_600_000 + 1;
    const first = await run();
    expect(first.escalated).toEqual([due.number]);
    expect(await h.ticket(due.number)).toMatchObject({ tier: 2, status: 'waiting', firstResponseDue: due.firstResponseDue });
    expect((await h.ticket(business.number)).tier).toBe(1);
    expect(pages).toEqual([
      {
        subject: `P1 ticket ${due.number} escalated: no first response`,
        // The missed time as the line's team reads it: local (New York) with its zone, never ISO.
        body: `P1 ticket ${due.number} of Fabrikam (premier) was not answered by its first-response time today at 12:00 PM Eastern Time; it is now with tier 2.`,
      },
    ]);
    // Overlapping or later runs change nothing and page nobody.
    const again = await Promise.all([run(), run()]);
    expect(again.flatMap((r) => r.escalated)).toEqual([]);
    expect(pages).toHaveLength(1);
    // The engineers' queue now has it: Kenji (tier 2) is offered it.
    const call = h.agentCall();
    await call.start();
    await call.press('1003');
    const a = await call.press('135790');
    expect(a.says[1]).toContain('P1, Fabrikam, premier plan');
  });
});
