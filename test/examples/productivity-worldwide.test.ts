/**
 * Example 2, the productivity suite worldwide (examples/productivity-worldwide.json), end to end through
 * the server `npm start` runs. The file keeps its real holidays and 9–17 Monday–Friday billing hours; this test's copy
 * makes today (and tomorrow, in case the run crosses midnight) a Canadian holiday that is no US holiday,
 * and opens billing all of today and tomorrow, so the only difference between the two callers is their country.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers, englishCaller, loadExample, openNow, startExample, todayAndTomorrow, type ExampleLine } from './support/example-line.js';

const US_CA_LINE = '+18008659408'; // one toll-free number for the US and Canada
const ADA = '+12025550111'; // Contoso (US), admin
const MEL = '+12025550112'; // Contoso (US), member
const CHLOE = '+14165550123'; // Maple Leaf Logistics, Toronto: a Canadian caller
const STRANGER = '+447700900555'; // not on any profile
const CONTOSO_EMAIL = 'it@contoso.example';

const data = loadExample('productivity-worldwide');
const zone = data.lines.find((l) => l.number === US_CA_LINE)!.timezone;
const holiday = todayAndTomorrow(zone);
data.holidays = {
  ...data.holidays,
  CA: [...new Set([...(data.holidays?.CA ?? []), ...holiday])],
  US: (data.holidays?.US ?? []).filter((d) => !holiday.includes(d)),
};
data.services.billing!.hours = openNow(zone);

let line: ExampleLine;
beforeAll(async () => {
  line = await startExample(data);
}, 90_000);
afterAll(async () => {
  await line?.stop();
});

/** The latest 6-digit code emailed to `to` since `mark`. */
function emailedCode(mark: number, to: string): string | null {
  const mail = line.sentSince(mark).filter((m) => m.channel === 'email' && m.to === to);
  const m = mail
    .reverse()
    .map((x) => /\b(\d{6})\b/.exec(x.body))
    .find(Boolean);
  return m ? `${m[1]}#` : null;
}

describe('productivity suite: verification of callers not on the profile', () => {
  it('an unregistered caller keys the account number, chooses email, reads the code and is verified', async () => {
    const mark = line.outboxMessages().length;
    const r = await line.phone(STRANGER, US_CA_LINE).call(
      answers([
        [/account number/, '82000001#'],
        [/by email/, '2'],
        [/6 digit code/, () => emailedCode(mark, CONTOSO_EMAIL)],
        [/priority/, '3'],
        [/press/, '1'],
      ]),
    );
    expect(r.transcript()).toMatch(/We sent a verification code by email to i…@contoso\.example/);
    expect(r.transcript()).toMatch(/you are verified/);
    expect(r.transcript()).not.toContain(CONTOSO_EMAIL); // masked, never read out in full
    const t = await line.ticketOf(r.callSid);
    expect(t).toMatchObject({ verifiedBy: 'code', org: 'contoso', service: 'technical', priority: 'C', status: 'waiting', caller: STRANGER });
    // The code went to the registered email only: nothing to the calling number.
    const sent = line.sentSince(mark);
    expect(sent.filter((m) => /verification code/i.test(m.body)).map((m) => m.to)).toEqual([CONTOSO_EMAIL]);
    expect(sent.some((m) => m.to === STRANGER)).toBe(false);
  });

  it('admins only: a registered member is refused, no ticket', async () => {
    const r = await line.phone(MEL, US_CA_LINE).call(englishCaller({ menu: '1', priority: '1' }));
    expect(r.transcript()).toMatch(/available to its administrators/);
    expect(await line.ticketsOf(r.callSid)).toHaveLength(0);
  });
});

describe("productivity suite: one number for the US and Canada, holidays by the caller's country", () => {
  it('on a Canadian holiday a Canadian caller finds billing closed and may leave a callback request', async () => {
    const r = await line.phone(CHLOE, US_CA_LINE).call(englishCaller({ menu: '2', priority: '1', callback: '1' }));
    expect(r.transcript()).toMatch(/We are closed right now/);
    expect(r.transcript()).toMatch(/Today is a public holiday/);
    expect(r.enqueued).toBeUndefined();
    const t = await line.ticketOf(r.callSid);
    expect(t).toMatchObject({ status: 'callback', service: 'billing', country: 'CA', org: 'maple-leaf' });
  });

  it('the same day a US caller on the same number reaches billing (at most B, and told so)', async () => {
    const r = await line.phone(ADA, US_CA_LINE).call(englishCaller({ menu: '2', priority: '1', callback: '1' }));
    expect(r.transcript()).not.toMatch(/closed/);
    expect(r.transcript()).toMatch(/Billing and subscriptions issues are handled at most as B/);
    const t = await line.ticketOf(r.callSid);
    expect(t).toMatchObject({ status: 'waiting', service: 'billing', country: 'US', priority: 'B', priorityNote: 'lowered-by-service' });
  });

  it('technical support is 24/7: the Canadian caller is answered on the holiday', async () => {
    const r = await line.phone(CHLOE, US_CA_LINE).call(englishCaller({ menu: '1', priority: '1' }));
    expect(r.transcript()).not.toMatch(/closed/);
    const t = await line.ticketOf(r.callSid);
    expect(t).toMatchObject({ status: 'waiting', service: 'technical', country: 'CA', priority: 'A' });
    expect(r.enqueued).toBeDefined();
  });
});
