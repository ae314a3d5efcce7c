/**
 * Example 1, the video-conferencing vendor (examples/video-conferencing.json), end to end through the server `npm start` runs
 * with the file as it is: technical support is answered around the clock, so nothing depends on the hour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishCaller, hoursTo, loadExample, sayLanguages, startExample, type ExampleLine, spokenToCaller } from './support/example-line.js';

const US_LINE = '+18887999666'; // "+1.888.799.9666 ext. 2"
const HK_LINE = '+85230023757'; // "+852 3002 3757", no extension
const OLIVIA = '+13125550101'; // Northwind Traders (business): owner
const MARK = '+13125550103'; // Northwind Traders (business): member
const NINA = '+13125550122'; // Fourth Coffee (premier): member
const WING = '+85261230001'; // Wingtip Toys Asia (enterprise): admin
const JO = '+13125550151'; // Brightpath Studio (pro): owner

let line: ExampleLine;
beforeAll(async () => {
  line = await startExample(loadExample('video-conferencing'));
}, 90_000);
afterAll(async () => {
  await line?.stop();
});

describe('video-conferencing vendor: who gets phone support, and how fast', () => {
  it('the owner of a business account presses 2, then 1: a P1 with a first response in 1 hour and restoration in 4', async () => {
    const mark = line.outboxMessages().length;
    const r = await line.phone(OLIVIA, US_LINE).call(englishCaller({ menu: '2', priority: '1' }));
    expect(r.prompts[0]).toMatch(/For technical support, press 2\./);
    expect(r.transcript()).toMatch(/Hello Olivia Park from Northwind Traders/);
    const t = await line.ticketOf(r.callSid);
    expect(t).toMatchObject({
      priority: 'P1',
      status: 'waiting',
      org: 'northwind',
      plan: 'business',
      line: US_LINE,
      verifiedBy: 'caller-id',
      priorityQueue: false,
    });
    expect(hoursTo(t, 'firstResponseDue')).toBe(1);
    expect(hoursTo(t, 'restoreDue')).toBe(4);
    expect(r.transcript()).toContain(`Your ticket number is ${spokenToCaller(t.number)}, `); // v2 §2.6: once, in groups
    expect(r.enqueued?.queue).toBe('technical.en-US.t1.r0.std');
    // The confirmation goes to the organization's contact, with the number and the level.
    expect(line.sentSince(mark).some((m) => m.channel === 'sms' && m.to === OLIVIA && m.body.includes(t.number) && m.body.includes('P1'))).toBe(true);
  });

  it('P2 restores in 8 hours; P3 and P4 have a 24 hour first response and no restoration time', async () => {
    const p2 = await line.ticketOf((await line.phone(OLIVIA, US_LINE).call(englishCaller({ menu: '2', priority: '2' }))).callSid);
    expect([p2.priority, hoursTo(p2, 'firstResponseDue'), hoursTo(p2, 'restoreDue')]).toEqual(['P2', 4, 8]);
    for (const key of ['3', '4']) {
      // Issue 14 / contract v2: one calling number opens at most 3 new tickets an hour (OLIVIA has 3 by now), so P4 comes from NINA.
      const from = key === '4' ? NINA : OLIVIA;
      const t = await line.ticketOf((await line.phone(from, US_LINE).call(englishCaller({ menu: '2', priority: key }))).callSid);
      expect([t.priority, hoursTo(t, 'firstResponseDue'), t.restoreDue]).toEqual([`P${key}`, 24, undefined]);
    }
  });

  it('a member of a business account is refused politely and gets no ticket', async () => {
    const r = await line.phone(MARK, US_LINE).call(englishCaller({ menu: '2', priority: '1' }));
    expect(r.transcript()).toMatch(/available to its administrators/);
    expect(r.endedBy).toBe('hangup');
    expect(r.enqueued).toBeUndefined();
    expect(await line.ticketsOf(r.callSid)).toHaveLength(0);
  });

  it('a member on premier is served, and goes first within a priority', async () => {
    const r = await line.phone(NINA, US_LINE).call(englishCaller({ menu: '2', priority: '2' }));
    const t = await line.ticketOf(r.callSid);
    expect(t).toMatchObject({ org: 'fourth-coffee', plan: 'premier', priority: 'P2', status: 'waiting', priorityQueue: true });
    expect(r.enqueued?.queue).toBe('technical.en-US.t1.r1.pq');
  });

  it('a plan without phone support (pro) is pointed to the website', async () => {
    const r = await line.phone(JO, US_LINE).call(englishCaller({ menu: '2', priority: '1' }));
    expect(r.transcript()).toMatch(/does not include phone support/);
    expect(await line.ticketsOf(r.callSid)).toHaveLength(0);
  });

  it('the Hong Kong line has no menu: a known caller goes straight to the priority choice', async () => {
    const r = await line.phone(WING, HK_LINE).call(englishCaller({ menu: '2', priority: '2' }));
    // Contract v2 §2.10: the zh-HK line speaks Cantonese; its first question is the priority, never the extension menu.
    expect(r.prompts[0]).toMatch(/請揀優先級。/); // v2 (issue 13): shorter options
    expect(r.transcript()).not.toMatch(/技術支援，請按|For technical support, press/);
    const t = await line.ticketOf(r.callSid);
    expect(t).toMatchObject({ line: HK_LINE, language: 'zh-HK', country: 'HK', service: 'technical', priority: 'P2', org: 'wingtip' });
    // Contract v2 §2.10: Cantonese text, said by a Cantonese voice, and nothing else.
    expect(new Set(sayLanguages(r))).toEqual(new Set(['yue-HK']));
  });
});
