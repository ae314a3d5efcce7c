/**
 * Example 5, the web-shop builder (examples/web-shop.json), end to end through the server `npm start` runs. The file's
 * standard hours are working days with Saturday mornings and the paid priority option's are every day
 * 08:00–22:00 with no holidays. This test's copy opens both all of today and tomorrow (so it runs at any
 * hour) and makes today an Irish holiday that is no British one: a standard Irish merchant then finds the
 * line closed while a priority Irish merchant is answered, and British merchants are answered as usual.
 */
import { digitGroups } from '../../functions/domain/agent-life.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentTakesNext, englishCaller, loadExample, openNow, startExample, todayAndTomorrow, type ExampleLine } from './support/example-line.js';

const LINE = '+442079460100';
const AGENTS = '+442079460199';
const ROSIE = '+447700900201'; // Bramble and Co (GB), standard
const AOIFE = '+353209100201'; // Shamrock Crafts (IE), standard
const SEAN = '+353209100202'; // Liffey Prints (IE), priority option
const NIAMH = '+353209100203'; // Liffey Prints (IE), priority option
const OLIVER = '+447700900202'; // Thames Tees (GB), priority option
const LILY = '+447700900203'; // Acorn Candles, free trial

const data = loadExample('web-shop');
const zone = data.lines[0]!.timezone;
const holiday = todayAndTomorrow(zone);
for (const service of Object.values(data.services)) service.hours = openNow(zone);
data.plans.priority!.hours = { 'mon-sun': ['00:00', '24:00'] };
data.holidays = { GB: (data.holidays?.GB ?? []).filter((d) => !holiday.includes(d)), IE: [...new Set([...(data.holidays?.IE ?? []), ...holiday])] };
const fairUse = data.plans.priority!.fairUse!;

let line: ExampleLine;
beforeAll(async () => {
  line = await startExample(data);
}, 90_000);
afterAll(async () => {
  await line?.stop();
});

describe('web-shop builder: standard hours and the paid priority option', () => {
  it('on an Irish holiday a standard Irish merchant finds the line closed and leaves a callback request', async () => {
    const r = await line.phone(AOIFE, LINE).call(englishCaller({ menu: '1', priority: '3', callback: '1' }));
    expect(r.transcript()).toMatch(/We are closed right now/);
    expect(r.transcript()).toMatch(/Today is a public holiday/);
    expect(await line.ticketOf(r.callSid)).toMatchObject({ status: 'callback', country: 'IE', plan: 'standard', priorityQueue: false });
  });

  it('the same day a priority merchant from Ireland is answered, and the ticket jumps the queue', async () => {
    const r = await line.phone(SEAN, LINE).call(englishCaller({ menu: '1', priority: '3', callback: '1' }));
    expect(r.transcript()).not.toMatch(/closed/);
    const t = await line.ticketOf(r.callSid);
    expect(t).toMatchObject({ status: 'waiting', country: 'IE', plan: 'priority', priorityQueue: true, priority: 'P3' });
    expect(r.enqueued?.queue).toBe('technical.en-GB.t1.r2.pq');
  });

  it('a free trial has no phone support', async () => {
    const r = await line.phone(LILY, LINE).call(englishCaller({ menu: '1', priority: '1' }));
    expect(r.transcript()).toMatch(/does not include phone support/);
    expect(await line.ticketsOf(r.callSid)).toHaveLength(0);
  });
});

describe('web-shop builder: fair use of the top priority', () => {
  it(`the first ${fairUse.maxTopPriority} P1 tickets of an organization in ${fairUse.window} stay P1; the next is P2 and the caller is told`, async () => {
    expect(fairUse).toEqual({ maxTopPriority: 3, window: 'P7D' });
    for (let i = 0; i < fairUse.maxTopPriority; i++) {
      const r = await line.phone(i % 2 ? SEAN : NIAMH, LINE).call(englishCaller({ menu: '1', priority: '1' }));
      expect(await line.ticketOf(r.callSid)).toMatchObject({ priority: 'P1', org: 'liffey' });
      expect(r.transcript()).not.toMatch(/opened many/);
    }
    const r = await line.phone(NIAMH, LINE).call(englishCaller({ menu: '1', priority: '1' }));
    expect(r.transcript()).toMatch(/Your organisation opened many P1 tickets in the last 7 days, so this ticket is P2\./);
    expect(await line.ticketOf(r.callSid)).toMatchObject({ priority: 'P2', priorityNote: 'lowered-by-fair-use', org: 'liffey' });
    // Another organization's P1 is not affected.
    const other = await line.phone(OLIVER, LINE).call(englishCaller({ menu: '1', priority: '1' }));
    expect(await line.ticketOf(other.callSid)).toMatchObject({ priority: 'P1', org: 'thames' });
  });
});

describe('web-shop builder: the priority option goes first', () => {
  it('among equal priorities an agent takes the priority merchant first, though a standard one has waited longer', async () => {
    const standard = await line.phone(ROSIE, LINE).call(englishCaller({ menu: '2', priority: '2' }));
    const priority = await line.phone(OLIVER, LINE).call(englishCaller({ menu: '2', priority: '2' }));
    const s = await line.ticketOf(standard.callSid);
    const p = await line.ticketOf(priority.callSid);
    expect([s.priority, s.priorityQueue, p.priority, p.priorityQueue]).toEqual(['P2', false, 'P2', true]);
    expect(Date.parse(s.createdAt)).toBeLessThanOrEqual(Date.parse(p.createdAt));

    // Beth answers billing only, so the technical tickets above are not hers.
    const beth = await agentTakesNext(line, AGENTS, '5002', '2604');
    expect(beth.transcript()).toContain(`P2, Thames Tees, priority plan, caller ID. Ticket ${digitGroups(p.number)}.`); // issue 13: the short whisper;
    expect(beth.dialed?.targets[0]).toMatchObject({ kind: 'Queue', value: 'billing.en-GB.t1.r1.pq' });
    expect((await line.api(`/api/tickets/${p.number}`)).json).toMatchObject({ status: 'in-progress', agent: '5002' });
    expect((await line.api(`/api/tickets/${s.number}`)).json).toMatchObject({ status: 'waiting' });

    // The next billing caller for her is the standard one.
    const again = await agentTakesNext(line, AGENTS, '5002', '2604');
    expect(again.transcript()).toContain(`P2, Bramble and Co, standard plan, caller ID. Ticket ${digitGroups(s.number)}.`);
  });
});
