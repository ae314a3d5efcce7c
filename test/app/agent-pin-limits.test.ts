/**
 * Sign-in limits of the agents' line (contract §3 v2, issue 14): wrong PINs lock an agent id only for the
 * calling number that entered them, and a daily cap per id across numbers pages the supervisors (once)
 * instead of locking everyone out. Every wrong PIN, lock and cap is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENTS_AUDIT } from '../../functions/app/agent-flow/index.js';
import { DAILY_PIN_CAP } from '../../functions/domain/agents.js';
import { AGENT_PHONE, startAgentHarness, type AgentHarness } from './agent-support.js';

let h: AgentHarness;
const pages: Array<{ subject: string; body: string }> = [];
beforeAll(async () => {
  h = await startAgentHarness();
  h.deps.pager = { page: async (subject, body) => void pages.push({ subject, body }) };
});
afterAll(async () => {
  await h?.stop();
});

const STRANGER = '+12025550147';

/** One call from `from` that keys `id` and `pins` in turn (3 failures end a call). */
async function tryPins(from: string, id: string, pins: string[]) {
  const call = h.agentCall(undefined, from);
  await call.start();
  let last = call.last!;
  for (const pin of pins) {
    await call.press(id);
    last = await call.press(pin);
    if (last.hangup) break;
  }
  return last;
}

describe('wrong PINs lock per calling number', () => {
  it('5 wrong PINs from one number do not lock the same id signing in from another number', async () => {
    await tryPins(STRANGER, '1001', ['1111', '2222', '3333']);
    const fifth = await tryPins(STRANGER, '1001', ['4444', '5555']);
    expect(fifth.says).toEqual(['Those details are not right.', 'Sign-in is locked after too many wrong entries. Please try again in 15 minutes. Goodbye.']);
    expect(await h.deps.agentLocks!.isLocked('1001', h.clock.now, STRANGER)).toBe(true);
    // The stranger's number stays locked, even with the right PIN...
    const refused = await tryPins(STRANGER, '1001', ['4321']);
    expect(refused.says).toEqual(['Sign-in is locked after too many wrong entries. Please try again in 15 minutes. Goodbye.']);
    // ...while the agent signs in from their own phone.
    const own = await tryPins(AGENT_PHONE, '1001', ['4321']);
    expect(own.says[0]).toBe('Hello Sam.');
    expect(await h.deps.agentLocks!.isLocked('1001', h.clock.now, AGENT_PHONE)).toBe(false);

    const audit = (await h.deps.audit.forOrg(AGENTS_AUDIT, 100)).filter((e) => e.agent === '1001');
    expect(audit.filter((e) => e.result === 'pin-wrong')).toHaveLength(5);
    expect(audit.filter((e) => e.result === 'pin-locked')).toEqual([expect.objectContaining({ caller: STRANGER, method: 'agent-pin' })]);
    expect(pages).toEqual([]);
  });

  it(`${DAILY_PIN_CAP} wrong PINs a day across numbers page the supervisors once, and lock nobody else out`, async () => {
    const numbers = Array.from({ length: 8 }, (_, i) => `+1202555${String(1100 + i).padStart(4, '0')}`);
    let wrong = 0;
    for (const from of numbers) {
      const n = Math.min(3, DAILY_PIN_CAP + 2 - wrong);
      if (n <= 0) break;
      await tryPins(
        from,
        '1002',
        Array.from({ length: n }, () => '0000'),
      );
      wrong += n;
    }
    expect(wrong).toBe(DAILY_PIN_CAP + 2);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.subject).toBe(`Agent 1002: ${DAILY_PIN_CAP} wrong PINs today`);
    expect(pages[0]!.body).toContain(`from ${Math.ceil(DAILY_PIN_CAP / 3)} calling numbers`);
    expect(await h.deps.agentLocks!.daily('1002', h.clock.now)).toMatchObject({ count: DAILY_PIN_CAP + 2, paged: true });
    const capAudit = (await h.deps.audit.forOrg(AGENTS_AUDIT, 1000)).filter((e) => e.agent === '1002' && e.result === 'pin-daily-cap');
    expect(capAudit).toHaveLength(1);
    // The agent is not locked out by the cap: Ewa signs in from her own phone.
    const own = await tryPins(AGENT_PHONE, '1002', ['2468']);
    expect(own.says[0]).toBe('Witaj, Ewa.');
  });
});
