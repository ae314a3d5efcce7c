/**
 * Dependencies that run `before` once, ahead of a step's first effect: anything that writes, counts, sends
 * or pages. Reads pass straight through. The step runner uses it for a step whose call is not stored yet
 * (step-runner.ts `firstAnswered`): the call is created claimed only when the step is about to change the
 * world, so a step that only reads and asks costs the one write that stores its answer, while a concurrent
 * twin still cannot send a second code or open a second ticket.
 */
import type { FlowDeps } from './ports.js';

/** The methods of each port that only read; every other method of these ports is an effect. */
const READS = {
  calls: ['get'],
  codes: ['get'],
  tickets: ['get', 'waiting', 'callbacks', 'countByOrgSince', 'list', 'openFromCaller', 'waitingAhead', 'answeredWaits'],
  agentLocks: ['get', 'isLocked', 'daily'],
  limits: ['codeRun'],
  notifier: [],
  pager: [],
  spool: [],
  notices: [],
} as const satisfies Partial<Record<keyof FlowDeps, readonly string[]>>;

type EffectPort = keyof typeof READS;

export function guardEffects(deps: FlowDeps, before: () => Promise<void>): FlowDeps {
  let first: Promise<void> | undefined;
  const once = () => (first ??= before());
  const guarded: Partial<FlowDeps> = {};
  for (const port of Object.keys(READS) as EffectPort[]) {
    const target = deps[port] as object | undefined;
    if (target) (guarded as Record<string, unknown>)[port] = guardPort(target, READS[port], once);
  }
  return { ...deps, ...guarded };
}

function guardPort<T extends object>(target: T, reads: readonly string[], before: () => Promise<void>): T {
  return new Proxy(target, {
    get(t, name, receiver) {
      const value = Reflect.get(t, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (typeof name === 'string' && reads.includes(name)) return method.bind(t);
      return async (...args: unknown[]) => {
        await before();
        return method.apply(t, args);
      };
    },
  });
}
