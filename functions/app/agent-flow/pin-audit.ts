/**
 * The audit of wrong PINs on the agents' line (org `_agents`): every wrong PIN, the lock of a number, and
 * the daily cap, which pages the supervisors once a day instead of locking the id for everyone (issue 14).
 */
import type { CallState } from '../../domain/call-state.js';
import { localize } from '../../domain/messages/catalog.js';
import type { AuditEntry, FailureResult, FlowDeps } from '../ports.js';

/** The audit's organization key for the agents' line: no data-file id starts with `_`. */
export const AGENTS_AUDIT = '_agents';

export async function pinFailureAudit(state: CallState, agentId: string, failure: FailureResult, deps: FlowDeps): Promise<void> {
  const results: AuditEntry['result'][] = [
    'pin-wrong',
    ...(failure.lockedNow ? (['pin-locked'] as const) : []),
    ...(failure.day.capReachedNow ? (['pin-daily-cap'] as const) : []),
  ];
  for (const result of results) {
    try {
      await deps.audit.record(
        { org: AGENTS_AUDIT, agent: agentId, caller: state.from, callSid: state.callSid, method: 'agent-pin', result, at: deps.now().toISOString() },
        state.n,
      );
    } catch (e) {
      deps.log?.('error', 'audit write failed', { agent: agentId, result, error: String(e) });
    }
  }
  if (failure.day.capReachedNow) {
    deps.metric?.('AgentPinDailyCap');
    const p = { agent: agentId, count: failure.day.count, numbers: failure.day.numbers.length, caller: state.from || 'withheld' };
    await deps.pager
      ?.page(localize('en-US', { id: 'page-pin-cap-subject', params: p }), localize('en-US', { id: 'page-pin-cap-body', params: p }))
      .catch((e: unknown) => deps.log?.('error', 'page failed', { agent: agentId, error: String(e) }));
  }
}
