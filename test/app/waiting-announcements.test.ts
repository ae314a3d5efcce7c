/**
 * The waiting caller's announcements through the real webhooks (on the fakes): the time of the last one is
 * kept on the ticket by the conditional write that also checks it is the call's waiting ticket, a retried
 * request hears the same announcement without moving that time, `*` announces and restarts the minute, and
 * an estimate appears as soon as answered waits make one, even within a minute of an announcement without.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, relative, type Answer, type Harness, type TestCall } from '../support/voice-harness.js';
import { LINES, PHONES } from '../support/line-data.js';
import type { AnnouncedTicket } from '../../functions/app/ports.js';
import { ticketFixture } from '../support/fixtures.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

async function queued(phone: string, priority = '1'): Promise<{ call: TestCall; a: Answer; number: string }> {
  const call = h.call(phone, LINES.us);
  await call.start();
  await call.press('2');
  const a = await call.press(priority);
  expect(a.enqueue, a.xml).toBeDefined();
  return { call, a, number: (await h.deps.calls.get(call.callSid))!.ticketNumber! };
}

const wait = (q: { call: TestCall; a: Answer }, more: Record<string, string> = {}) =>
  h.post({ url: relative(q.a.enqueue!.attrs.waitUrl!), params: q.call.params({ QueueTime: '30', ...more }) });
const announcedAt = async (number: string) => ((await h.deps.tickets.get(number)) as AnnouncedTicket | undefined)?.announcedAt;
const iso = (ms: number) => new Date(ms).toISOString();

describe('announcements while waiting', () => {
  it('the ticket keeps the time of the last one; a retry within seconds says it again and keeps the time', async () => {
    const q = await queued(PHONES.ada);
    expect(await announcedAt(q.number)).toBeUndefined();
    const first = await wait(q);
    expect(first.says[0]).toBe('You are next in line.');
    const t0 = h.clock.now;
    expect(await announcedAt(q.number)).toBe(iso(t0));
    h.clock.now += 4_000;
    expect((await wait(q)).says).toEqual(first.says);
    expect(await announcedAt(q.number)).toBe(iso(t0));
    h.clock.now += 2_000;
    const music = await wait(q);
    expect(music.says).toEqual([]);
    expect(music.gather).toBeDefined();
    h.clock.now = t0 + 60_000;
    expect((await wait(q)).says[0]).toBe('You are next in line.');
    expect(await announcedAt(q.number)).toBe(iso(t0 + 60_000));
    // The call state no longer carries it.
    expect((await h.deps.calls.get(q.call.callSid))?.announcedAt).toBeUndefined();
  });

  it('* announces at once and the next announcement is a minute after it', async () => {
    const q = await queued(PHONES.ada);
    const first = await wait(q);
    h.clock.now += 30_000;
    const star = await h.post({ url: relative(first.gather!.attrs.action!), params: q.call.params({ Digits: '*' }) });
    expect(star.says[0]).toBe('You are next in line.');
    const starAt = h.clock.now;
    expect(await announcedAt(q.number)).toBe(iso(starAt));
    h.clock.now = starAt + 40_000;
    expect((await wait(q)).says).toEqual([]);
    h.clock.now = starAt + 60_000;
    expect((await wait(q)).says[0]).toBe('You are next in line.');
  });

  it('an estimate as soon as three answered waits make one, though the same minute heard none', async () => {
    const a = await queued(PHONES.lim, '3');
    h.clock.now += 1_000;
    const b = await queued(PHONES.ada, '3');
    expect((await wait(a)).says.join(' ')).not.toMatch(/estimated/);
    // Three callers of the same service and language answered after four minutes each.
    for (let i = 0; i < 3; i++) {
      const createdAt = iso(h.clock.now - 600_000 + i);
      await h.deps.tickets.putIfAbsent(
        ticketFixture({
          number: String(9_000_000 + i),
          callSid: `CA${'0'.repeat(31)}${i}`,
          createdAt,
          status: 'in-progress',
          agent: '1001',
          answeredAt: iso(Date.parse(createdAt) + 240_000),
        }),
      );
    }
    h.clock.now += 1_000;
    const said = (await wait(b)).says;
    expect(said[0]).toBe('You are number 2 in line.');
    expect(said[1]).toBe('The estimated wait is about 4 minutes.');
  });

  it('a ticket an agent took meanwhile gets plain hold music and no mark', async () => {
    const q = await queued(PHONES.ada);
    await h.deps.tickets.transition(q.number, 'in-progress', { agent: '1001' }, ['waiting']);
    const w = await wait(q);
    expect(w.says).toEqual(['Please stay on the line for an agent.']);
    expect(w.verbs).toEqual(['Say', 'Play']);
    expect(await announcedAt(q.number)).toBeUndefined();
  });
});
