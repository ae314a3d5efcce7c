/**
 * The time budget of one webhook request. Every SDK call is bounded on its own (a hang is an error within
 * 1.4 s), but a step makes several: a claim, the context, fair use, a counter, a ticket, a commit. Stacked,
 * a hung DynamoDB would keep the caller in silence for many seconds and then in an apology. Here the
 * request's stores share one budget:
 *  - once one store call found DynamoDB unavailable, every later one fails at once (the breaker is per
 *    request: the next webhook tries again), so the step goes straight to the spool;
 *  - no store call may end after the request's deadline (it fails as unavailable at the deadline);
 *  - once the answer is given (`close`), nothing of this request may start a write: a handler still running
 *    after its answer (an early-timeout response) cannot open a ticket the caller was not told about.
 */
import { StoreUnavailableError } from '../domain/errors.js';
import type { FlowDeps } from './ports.js';

/** From the request's start: the caller must hear a reference within 3 s, and the spool needs its share. */
export const STORE_DEADLINE_MS = 2_400;

const STORES = ['calls', 'codes', 'tickets', 'audit', 'limits', 'agentLocks', 'directory'] as const;

export interface RequestBudget {
  deps: FlowDeps;
  /** Marks the answer given: later store calls of this request are refused. */
  close(): void;
}

export function withRequestBudget(deps: FlowDeps, opts: { deadlineMs?: number; clock?: () => number } = {}): RequestBudget {
  const clock = opts.clock ?? Date.now;
  const deadline = clock() + (opts.deadlineMs ?? STORE_DEADLINE_MS);
  let tripped: StoreUnavailableError | undefined;
  let closed = false;

  const guard = <T>(name: string, run: () => Promise<T>, breaker: boolean): Promise<T> => {
    if (closed) return Promise.reject(new StoreUnavailableError(`${name}: the request was already answered`));
    if (tripped && breaker) return Promise.reject(new StoreUnavailableError(`${name}: DynamoDB failed earlier in this request`, { cause: tripped }));
    const left = deadline - clock();
    if (left <= 0) return Promise.reject((tripped = new StoreUnavailableError(`${name}: the request's time budget is spent`)));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject((tripped ??= new StoreUnavailableError(`${name}: the request's time budget is spent`))), left);
    });
    const call = run().catch((e: unknown) => {
      if (e instanceof StoreUnavailableError) tripped ??= e;
      throw e;
    });
    return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
  };

  // The directory is cached in memory (the data file rarely changes): a DynamoDB that failed a write does
  // not stop the step from reading the line and organization it already knows, within the deadline.
  const wrap = <S extends object>(label: string, store: S, breaker = label !== 'directory'): S =>
    new Proxy(store, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => guard(`${label}.${String(prop)}`, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args), breaker);
      },
    });

  const budgeted: FlowDeps = { ...deps };
  for (const name of STORES) {
    const store = deps[name];
    if (store) (budgeted as unknown as Record<string, unknown>)[name] = wrap(name, store as object);
  }
  return {
    deps: budgeted,
    close: () => {
      closed = true;
    },
  };
}
