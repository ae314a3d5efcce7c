/**
 * Callback tickets wait for their service's hours (contract §3 v2 with §2.4): a request left at night is
 * offered to agents when the line opens. Its own harness: the data file has office hours.
 */
import { describe, expect, it } from 'vitest';
import { agentData, startAgentHarness } from './agent-support.js';

describe('callback tickets and hours', () => {
  it('a callback whose service is closed now is not offered (a request left at night waits for the opening)', async () => {
    const night = await startAgentHarness({
      data: {
        ...agentData,
        services: { technical: { hours: { 'mon-fri': ['09:00', '17:00'] } }, billing: { hours: '24/7' } },
      },
    });
    try {
      // 2026-05-13 15:00Z is 11:00 in New York (open); 03:00Z the next day is 23:00 (closed).
      night.clock.now = Date.parse('2026-05-14T03:00:00Z');
      await night.waitingCaller({ org: 'contoso', priorityRank: 0, status: 'callback' });
      const call = night.agentCall();
      await call.start();
      await call.press('1001');
      const a = await call.press('4321');
      expect(a.says[1]).toBe('No callers are waiting for you right now. Press 1 to check again, or hang up.');
      night.clock.now = Date.parse('2026-05-14T13:30:00Z');
      expect((await call.press('1')).says[0]).toContain('Callback.');
    } finally {
      await night.stop();
    }
  });
});
