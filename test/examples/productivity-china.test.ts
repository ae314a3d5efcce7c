/**
 * Example 3, the productivity suite operated in China (examples/productivity-china.json), end to end
 * through the server `npm start` runs. B and C are answered 09:00–24:00 and A around the clock, so what a caller gets
 * depends on the hour. This test's copy keeps the policy's hours and adds a second copy of the line in a
 * time zone where it is night now; the published number is kept in a zone where it is day now (Beijing
 * time itself when Beijing is comfortably inside its hours). Both behaviours are thus tested on every run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishCaller, hoursTo, loadExample, startExample, zoneWithLocalHour, type ExampleLine } from './support/example-line.js';

const LINE = '+864000890365'; // (86) 400-089-0365, open now
const NIGHT_LINE = '+861065550100'; // the same line where it is 04:00 now (made up for the test)
const LI = '+8613900000001'; // Jade Trading: standard plan, at most B
const ZHANG = '+8613900000002'; // Pearl River Manufacturing: advanced support agreement

const data = loadExample('productivity-china');
const published = data.lines[0]!;
const now = new Date();
const beijing = Number(
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now).replace(':', ''),
);
// 09:30–23:30 Beijing time is safely open for the few seconds the test takes; otherwise use a zone where it is 15:00.
if (!(beijing >= 930 && beijing < 2330)) published.timezone = zoneWithLocalHour(15, now);
data.lines.push({ ...published, number: NIGHT_LINE, timezone: zoneWithLocalHour(4, now), label: 'test copy: night now' });
// A second admin of Pearl River for the night calls: one calling number opens at most 3 new tickets an hour
// (issue 14, contract §2.8 v2), and ZHANG opens 3 in the daytime tests.
const ZHANG_NIGHT = '+8613900000012';
data.organizations.find((o) => o.id === 'pearl-river')!.people.push({ name: 'Zhang Wei', phone: ZHANG_NIGHT, role: 'admin' });

let line: ExampleLine;
beforeAll(async () => {
  line = await startExample(data);
}, 90_000);
afterAll(async () => {
  await line?.stop();
});

describe('China: severities A, B, C within 09:00–24:00', () => {
  it('an organization without an advanced support agreement choosing A gets B and is told; B is due in one business day', async () => {
    const r = await line.phone(LI, LINE).call(englishCaller({ menu: '1', priority: '1' }));
    // Contract v2 §2.10: the zh-CN line speaks Mandarin.
    expect(r.transcript()).toMatch(/您的套餐最高支持B优先级，因此您的工单优先级为B。/);
    const t = await line.ticketOf(r.callSid);
    expect(t).toMatchObject({
      priority: 'B',
      priorityNote: 'lowered-by-plan',
      status: 'waiting',
      service: 'technical',
      org: 'jade-trading',
      language: 'zh-CN',
    });
    // P1D on the business clock: the same time on the next open day, and every day is open 09:00-24:00.
    expect(hoursTo(t, 'firstResponseDue')).toBe(24);
  });

  it('billing is at most B even with an advanced support agreement', async () => {
    const r = await line.phone(ZHANG, LINE).call(englishCaller({ menu: '2', priority: '1' }));
    expect(r.transcript()).toMatch(/账单服务问题的优先级最高为B/);
    expect(await line.ticketOf(r.callSid)).toMatchObject({ priority: 'B', service: 'billing', priorityNote: 'lowered-by-service' });
  });

  it('an advanced organization opens A for a technical issue, due in one hour', async () => {
    const r = await line.phone(ZHANG, LINE).call(englishCaller({ menu: '1', priority: '1' }));
    const t = await line.ticketOf(r.callSid);
    expect(t).toMatchObject({ priority: 'A', service: 'technical', status: 'waiting', org: 'pearl-river' });
    expect(t.priorityNote).toBeUndefined();
    expect(hoursTo(t, 'firstResponseDue')).toBe(1);
    // C: three business days, each a whole open day later at the same time.
    const c = await line.ticketOf((await line.phone(ZHANG, LINE).call(englishCaller({ menu: '1', priority: '3' }))).callSid);
    expect([c.priority, hoursTo(c, 'firstResponseDue')]).toEqual(['C', 72]);
  });
});

describe('China: outside 09:00–24:00 only A is answered', () => {
  it('the closed prompt offers A with 2 to an advanced organization, which then opens an A ticket and waits for an agent', async () => {
    const r = await line.phone(ZHANG_NIGHT, NIGHT_LINE).call(englishCaller({ menu: '1', priority: '1', callback: '2' }));
    // Contract v2 §2.10: the zh-CN line says the closed prompt and the priority menu in Mandarin.
    expect(r.transcript()).toMatch(/现在是非服务时间。/);
    expect(r.transcript()).toMatch(/如果您的问题属于A优先级，请按2。/);
    // Only A is offered after the 2: B and C wait for the morning.
    // v2 (issue 13): the options are short and no longer name the level; A is key 1, B and C keys 2 and 3.
    const menu = r.prompts.find((p) => /请选择优先级。/.test(p))!;
    expect(menu).toMatch(/请按1。/);
    expect(menu).not.toMatch(/请按[23]/);
    const t = await line.ticketOf(r.callSid);
    expect(t).toMatchObject({ priority: 'A', status: 'waiting', line: NIGHT_LINE });
    expect(hoursTo(t, 'firstResponseDue')).toBe(1);
    expect(r.enqueued).toBeDefined();
  });

  it('B and C get a callback: 1 leaves a callback request at the least urgent level', async () => {
    const r = await line.phone(ZHANG_NIGHT, NIGHT_LINE).call(englishCaller({ menu: '1', callback: '1' }));
    const t = await line.ticketOf(r.callSid);
    expect(t).toMatchObject({ status: 'callback', priority: 'C' });
    expect(r.enqueued).toBeUndefined();
    expect(r.transcript()).toMatch(/我们会在上班后给您回电。/);
  });

  it('an organization limited to B is not offered A at night, only the callback', async () => {
    const r = await line.phone(LI, NIGHT_LINE).call(englishCaller({ menu: '1', priority: '1', callback: '2' }));
    expect(r.transcript()).toMatch(/现在是非服务时间。/);
    const offers = r.prompts.filter((p) => /如需我们回电/.test(p));
    expect(offers.length).toBeGreaterThan(0);
    for (const offer of offers) expect(offer).not.toMatch(/press 2/);
    // Contract §2.7 v2: 2 is no choice here, and after every try an identified caller is not hung up on: a callback ticket.
    expect(await line.ticketsOf(r.callSid)).toEqual([expect.objectContaining({ status: 'callback', priority: 'C' })]);
  });
});
