/**
 * The abuse limits (functions/adapters/dynamodb/limit-store.ts) in memory: the same rolling windows in
 * slices and the same run of wrong codes with its pause, each decision taken by the domain's own rules.
 * Calls are synchronous between awaits, so an admission is as atomic as the adapter's conditional write.
 */
import {
  CODE_FAILURE_STREAK,
  sliceAllowance,
  sliceStart,
  streakReachesCap,
  WINDOW_RULES,
  windowFloor,
  type WindowRuleName,
} from '../../../functions/domain/abuse-limits.js';
import type { AbuseLimits, CodeFailureResult, CodeRun, LimitTake } from '../../../functions/app/ports.js';

export class FakeLimitStore implements AbuseLimits {
  private readonly windows = new Map<string, Map<number, number>>();
  private readonly streaks = new Map<string, { streak: number; pausedUntil?: number }>();

  async take(rule: WindowRuleName, subject: string, nowMs: number): Promise<LimitTake> {
    const r = WINDOW_RULES[rule];
    const slices = this.slices(rule, subject);
    const slice = sliceStart(r, nowMs);
    const floor = windowFloor(r, nowMs);
    const earlier = [...slices].filter(([start]) => start >= floor && start <= slice).map(([start, count]) => ({ start, count }));
    const allow = sliceAllowance(r, nowMs, earlier);
    const current = slices.get(slice) ?? 0;
    if (allow <= 0 || current >= allow) return { allowed: false, slice };
    slices.set(slice, current + 1);
    return { allowed: true, slice };
  }

  async giveBack(rule: WindowRuleName, subject: string, slice: number): Promise<void> {
    const slices = this.slices(rule, subject);
    const current = slices.get(slice) ?? 0;
    if (current > 0) slices.set(slice, current - 1);
  }

  async codeRun(orgId: string, nowMs: number): Promise<CodeRun> {
    const item = this.streaks.get(orgId);
    const until = item?.pausedUntil ?? 0;
    const streak = item?.streak ?? 0;
    return until > nowMs ? { pausedUntil: until, streak } : { streak };
  }

  async codeFailed(orgId: string, nowMs: number): Promise<CodeFailureResult> {
    const item = this.streaks.get(orgId) ?? { streak: 0 };
    if (item.pausedUntil !== undefined && item.pausedUntil > nowMs) return { streak: 0, pausedNow: false, paused: true };
    item.streak += 1;
    this.streaks.set(orgId, item);
    if (!streakReachesCap(item.streak)) return { streak: item.streak, pausedNow: false, paused: false };
    const streak = item.streak;
    item.pausedUntil = nowMs + CODE_FAILURE_STREAK.lockMs;
    item.streak = 0;
    return { streak, pausedNow: true, paused: true };
  }

  async codeVerified(orgId: string, nowMs: number): Promise<void> {
    const item = this.streaks.get(orgId);
    if (item && !(item.pausedUntil !== undefined && item.pausedUntil > nowMs)) item.streak = 0;
  }

  private slices(rule: WindowRuleName, subject: string): Map<number, number> {
    const key = `${rule}#${subject}`;
    let slices = this.windows.get(key);
    if (!slices) this.windows.set(key, (slices = new Map()));
    return slices;
  }
}
