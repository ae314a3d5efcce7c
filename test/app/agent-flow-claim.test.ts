/**
 * The claim module of the agents' flow on its own (functions/app/agent-flow/claim.ts), on the in-memory
 * fakes: two claims racing for one caller, a release that undoes only the claim it names, a callback that
 * goes back to the callback list, and the organization's status notices (notify.ts) sent once per change.
 * The webhook tests cover the same moves through whole calls; these pin the rules a step relies on.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimNextCaller, releaseClaim, type AgentTicket } from '../../functions/app/agent-flow/index.js';
import type { OutgoingMessage } from '../../functions/app/ports.js';
import { validateSupportData } from '../../functions/data/validate.js';
import type { Agent } from '../../functions/domain/model.js';
import { queueName, type Ticket } from '../../functions/domain/tickets.js';
import { FakeDirectory, FakeTicketStore } from '../support/fakes/index.js';
import { agentData, T0 } from './agent-support.js';
import { ticketFixture } from '../support/fixtures.js';

let tickets: FakeTicketStore;
let sent: OutgoingMessage[];
let deps: Parameters<typeof claimNextCaller>[1];
let directory: FakeDirectory;
let sam: Agent;

beforeAll(async () => {
  const checked = validateSupportData(agentData);
  if (!checked.ok) throw new Error('test data is invalid');
  // Read-only in these tests, and loading hashes every PIN: once for the file.
  directory = await FakeDirectory.load(checked.data);
  sam = (await directory.agentById('1001'))!;
});

beforeEach(() => {
  tickets = new FakeTicketStore();
  sent = [];
  deps = {
    tickets,
    directory,
    now: () => new Date(T0),
    notifier: {
      send: async (m) => {
        sent.push(m);
      },
    },
  };
});

/** A ticket of `org` in the queue Sam serves (technical, en-US, tier 1), waiting unless said otherwise. */
async function queued(org: 'contoso' | 'fabrikam', fields: Partial<Ticket> = {}): Promise<AgentTicket> {
  const number = await tickets.allocateNumber();
  const createdAt = new Date(T0 - 60_000).toISOString();
  const ticket = ticketFixture({
    number,
    org,
    orgName: org === 'contoso' ? 'Contoso' : 'Fabrikam',
    plan: org === 'contoso' ? 'business' : 'premier',
    caller: '+15555550123',
    createdAt,
    firstResponseDue: new Date(T0 + 3_600_000).toISOString(),
    callSid: `CA${number.padStart(32, '0')}`,
    ...fields,
  });
  return tickets.putIfAbsent({ ...ticket, queue: queueName(ticket) });
}

describe('claiming the next caller', () => {
  it('gives one waiting caller to exactly one of two racing claims, and two callers to both', async () => {
    const only = await queued('contoso');
    const race = await Promise.all([claimNextCaller(sam, deps), claimNextCaller(sam, deps)]);
    expect(race.filter((t) => t).map((t) => t!.number)).toEqual([only.number]);
    expect(race.filter((t) => !t)).toHaveLength(1);

    const [a, b] = [await queued('contoso'), await queued('contoso')];
    const both = await Promise.all([claimNextCaller(sam, deps), claimNextCaller(sam, deps)]);
    expect(both.map((t) => t?.number).sort()).toEqual([a.number, b.number].sort());
    for (const t of both) expect(t).toMatchObject({ status: 'in-progress', agent: '1001', answeredAt: new Date(T0).toISOString(), firstResponseMet: true });
  });

  it('claims a due callback as one the agent dials (viaCallback)', async () => {
    const callback = await queued('contoso', { status: 'callback' });
    expect(await claimNextCaller(sam, deps)).toMatchObject({ number: callback.number, status: 'in-progress', agent: '1001', viaCallback: true });
  });
});

describe('releasing a claim', () => {
  it('undoes only the named agent claim, once, and never a bridged ticket', async () => {
    await queued('contoso');
    const claimed = (await claimNextCaller(sam, deps))!;
    expect(await releaseClaim(claimed, '1002', 'waiting', deps)).toBe(false);
    expect((await tickets.get(claimed.number))?.status).toBe('in-progress');

    expect(await releaseClaim(claimed, '1001', 'waiting', deps)).toBe(true);
    const back = (await tickets.get(claimed.number)) as AgentTicket;
    expect(back.status).toBe('waiting');
    expect(back).not.toHaveProperty('agent');
    expect(back).not.toHaveProperty('answeredAt');
    expect(back).not.toHaveProperty('firstResponseMet');
    // The same release again (a retried webhook) finds the ticket moved on.
    expect(await releaseClaim(claimed, '1001', 'waiting', deps)).toBe(false);

    const bridged = (await claimNextCaller(sam, deps))!;
    const talking: AgentTicket = { ...bridged, bridgedAt: new Date(T0).toISOString() };
    expect(await tickets.replaceIf(bridged, talking)).toBe(true);
    expect(await releaseClaim(talking, undefined, 'abandoned', deps)).toBe(false);
    expect((await tickets.get(talking.number))?.status).toBe('in-progress');
  });

  it('sends an unbridged callback back to the callback list even when its caller is said to be gone', async () => {
    await queued('contoso', { status: 'callback' });
    const claimed = (await claimNextCaller(sam, deps))!;
    expect(await releaseClaim(claimed, undefined, 'abandoned', deps)).toBe(true);
    const back = (await tickets.get(claimed.number)) as AgentTicket;
    expect(back.status).toBe('callback');
    expect(back).not.toHaveProperty('viaCallback');
    expect(back).not.toHaveProperty('abandonedAt');
  });

  it('marks a waiting caller who is gone abandoned, with the time', async () => {
    await queued('contoso');
    const claimed = (await claimNextCaller(sam, deps))!;
    expect(await releaseClaim(claimed, undefined, 'abandoned', deps)).toBe(true);
    expect(await tickets.get(claimed.number)).toMatchObject({ status: 'abandoned', abandonedAt: new Date(T0).toISOString() });
  });
});

describe('status notices', () => {
  it('texts a notifying plan once per change (claimed, then back to waiting) and nothing for a plan without notices', async () => {
    await queued('fabrikam');
    const claimed = (await claimNextCaller(sam, deps))!;
    expect(sent.map((m) => [m.channel, m.to])).toEqual([['sms', '+48601111222']]);
    // The notice was recorded on the ticket after the claim returned it: a release works on the ticket as read now.
    expect(await releaseClaim(claimed, '1001', 'waiting', deps)).toBe(false);
    expect(await releaseClaim((await tickets.get(claimed.number)) as AgentTicket, '1001', 'waiting', deps)).toBe(true);
    expect(sent).toHaveLength(2);
    expect((await tickets.get(claimed.number)) as AgentTicket).toMatchObject({ status: 'waiting', notifiedStatus: 'waiting' });

    // Both taken again: only Fabrikam's plan is told.
    sent = [];
    await queued('contoso');
    const orgs = [(await claimNextCaller(sam, deps))?.org, (await claimNextCaller(sam, deps))?.org];
    expect(orgs.sort()).toEqual(['contoso', 'fabrikam']);
    expect(sent.map((m) => m.to)).toEqual(['+48601111222']);
  });
});
