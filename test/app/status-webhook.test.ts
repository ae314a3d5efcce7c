/**
 * A caller's status callback settles only the ticket that waits on that very call
 * (functions/app/status-webhook.ts): the end of another call of the same caller, of a call that only
 * named the ticket, or of a callback's original call must not abandon (or un-claim) someone's ticket.
 * The agents' harness (real middy stack, signed callbacks, store fakes); the ordinary cases are in
 * agent-webhook.test.ts ("status callbacks").
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AgentTicket } from '../../functions/app/agent-flow/index.js';
import { newCallSid, startAgentHarness, type AgentHarness, signedInAgent } from './agent-support.js';

let h: AgentHarness;
beforeAll(async () => {
  h = await startAgentHarness();
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  for (const status of ['waiting', 'callback', 'in-progress'] as const) {
    for (const t of await h.deps.tickets.list({ status }))
      await h.deps.tickets.transition(t.number, 'closed', { closedAt: new Date(h.clock.now).toISOString() });
  }
  h.clock.now += 3_600_000;
});

/** Another call of the caller of `t` whose state names `t` (as the caller flow leaves it), still going. */
async function callNaming(t: AgentTicket): Promise<string> {
  const callSid = newCallSid();
  const state = await h.deps.calls.get(t.callSid);
  await h.deps.calls.create({ ...state!, callSid, createdAt: new Date(h.clock.now).toISOString(), ticketNumber: t.number }, '<Response/>', h.clock.now);
  return callSid;
}

/** The caller's new call takes the ticket over, as joinTicket does. */
async function joinedBy(t: AgentTicket, callSid: string): Promise<AgentTicket> {
  const next = { ...t, callSid };
  expect(await h.deps.tickets.replaceIf(t, next)).toBe(true);
  return next;
}

const signIn = (id?: string, pin?: string) => signedInAgent(h, id, pin);

describe('status callback of another call than the ticket waits on', () => {
  it("the caller's earlier call ending leaves the ticket their new call joined waiting; the new call's end abandons it", async () => {
    const t = await h.waitingCaller({ org: 'contoso', priorityRank: 1 });
    const earlier = t.callSid;
    const now = await callNaming(t);
    await joinedBy(t, now);

    await h.status({ CallSid: earlier, CallStatus: 'completed' });
    const still = await h.ticket(t.number);
    expect(still).toMatchObject({ status: 'waiting', callSid: now });
    expect(still.abandonedAt).toBeUndefined();

    h.clock.now += 1000;
    await h.status({ CallSid: now, CallStatus: 'completed' });
    expect(await h.ticket(t.number)).toMatchObject({ status: 'abandoned', abandonedAt: new Date(h.clock.now).toISOString() });
  });

  it('a call that only named the open ticket (a callback folded into it) ends without touching it', async () => {
    const t = await h.waitingCaller({ org: 'contoso', priorityRank: 2 });
    const folded = await callNaming(t);
    await h.status({ CallSid: folded, CallStatus: 'no-answer' });
    expect(await h.ticket(t.number)).toMatchObject({ status: 'waiting', callSid: t.callSid });
  });

  it('a caller leg unbridged during the whisper: only its own call abandons it, not another call naming it', async () => {
    const t = await h.waitingCaller({ org: 'contoso', priorityRank: 0 });
    const other = await callNaming(t);
    await signIn();
    expect(await h.ticket(t.number)).toMatchObject({ status: 'in-progress', agent: '1001' });
    await h.status({ CallSid: other, CallStatus: 'completed' });
    expect(await h.ticket(t.number)).toMatchObject({ status: 'in-progress', agent: '1001' });
    await h.status({ CallSid: t.callSid, CallStatus: 'completed' });
    expect(await h.ticket(t.number)).toMatchObject({ status: 'abandoned' });
  });

  it("a callback's original call ending late does not take the callback from the agent who claimed it", async () => {
    const cb = await h.waitingCaller({ org: 'contoso', priorityRank: 0, status: 'callback' });
    const call = await signIn();
    expect(call.last!.says.slice(1)).toContain('Press 1 to call the customer, or 2 to put the callback back.');
    const claimed = await h.ticket(cb.number);
    expect(claimed).toMatchObject({ status: 'in-progress', agent: '1001', viaCallback: true });

    await h.status({ CallSid: cb.callSid, CallStatus: 'completed' });
    expect(await h.ticket(cb.number)).toEqual(claimed);
  });
});
