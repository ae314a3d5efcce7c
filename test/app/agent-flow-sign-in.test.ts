/**
 * What a sign-in writes to the lock store (issue 15): a number with no wrong PINs on record has nothing to
 * clear, so a clean sign-in only reads its lock; wrong PINs on record are cleared by the right PIN; a locked
 * id is refused before any PIN is verified.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AGENT_PHONE, signedInAgent, startAgentHarness, type AgentHarness } from './agent-support.js';

let h: AgentHarness;
beforeAll(async () => {
  h = await startAgentHarness();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await h?.stop();
});

describe('sign-in and the lock record of the calling number', () => {
  it('a clean sign-in reads the lock and writes nothing', async () => {
    const clear = vi.spyOn(h.deps.agentLocks!, 'clear');
    const read = vi.spyOn(h.deps.agentLocks!, 'get');
    const call = await signedInAgent(h, '1001');
    expect(call.last!.says[0]).toBe('Hello Sam.');
    expect(read).toHaveBeenCalledWith('1001', AGENT_PHONE);
    expect(clear).not.toHaveBeenCalled();
    clear.mockRestore();
    read.mockRestore();
  });

  it('wrong PINs on record are cleared by the right PIN', async () => {
    const call = h.agentCall();
    await call.start();
    await call.press('1002');
    await call.press('0000');
    expect((await h.deps.agentLocks!.get('1002', AGENT_PHONE))?.failures).toBe(1);
    const clear = vi.spyOn(h.deps.agentLocks!, 'clear');
    await call.press('1002');
    const a = await call.press('2468');
    expect(a.says[0]).toBe('Witaj, Ewa.');
    expect(clear).toHaveBeenCalledTimes(1);
    expect(await h.deps.agentLocks!.get('1002', AGENT_PHONE)).toBeUndefined();
    clear.mockRestore();
  });

  it('a locked id is refused before any PIN is verified', async () => {
    for (let i = 0; i < 5; i++) await h.deps.agentLocks!.recordFailure('1003', `CAx:${i}`, h.clock.now, AGENT_PHONE);
    const verify = vi.spyOn(h.deps.pins, 'verify');
    const call = h.agentCall();
    await call.start();
    await call.press('1003');
    const a = await call.press('135790');
    expect(a.says).toEqual(['Sign-in is locked after too many wrong entries. Please try again in 15 minutes. Goodbye.']);
    expect(verify).not.toHaveBeenCalled();
    verify.mockRestore();
  });
});
