/**
 * How every AWS SDK client of the functions talks to AWS (DynamoDB, SNS, SES, SQS, Secrets Manager):
 *
 * - A call that hangs becomes an error within `CALL_BUDGET_MS`, retries included. The SDK's
 *   `requestTimeout` only logs unless the handler throws on it, and its default retry would start a
 *   second full attempt after the first timed out; here a retry is made only while a whole attempt
 *   still fits in the budget (so a fast throttle is retried, a hang is not).
 * - Keep-alive and a pool large enough that no request waits for a socket: the handler's timers
 *   start when the request is created, so with the default pool of 50 a burst of hundreds of calls
 *   spent its budget queueing for a socket and failed without ever reaching the database.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

/** A hung call is an error after at most this long (the caller is waiting on the line). */
export const CALL_BUDGET_MS = 1_400;
/** One attempt: from the request's creation to the response headers. */
export const ATTEMPT_TIMEOUT_MS = 900;
/** TCP connect (and TLS) of a new socket; a black-holed address fails here. */
export const CONNECT_TIMEOUT_MS = 500;
export const MAX_ATTEMPTS = 3;
/**
 * Sockets per host and client. Lambda runs one request per instance, so this matters for the local
 * server and bursts: 2,000 simultaneous calls must not queue for a socket.
 */
export const MAX_SOCKETS = 4_096;

export interface SdkClientOptions {
  requestHandler: {
    requestTimeout: number;
    connectionTimeout: number;
    throwOnRequestTimeout: true;
    httpAgent: HttpAgent;
    httpsAgent: HttpsAgent;
  };
  retryStrategy: RetryStrategyV2;
}

export interface SdkLimits {
  budgetMs: number;
  attemptMs: number;
  connectMs: number;
  maxAttempts: number;
  maxSockets: number;
}

export const DEFAULT_LIMITS: SdkLimits = {
  budgetMs: CALL_BUDGET_MS,
  attemptMs: ATTEMPT_TIMEOUT_MS,
  connectMs: CONNECT_TIMEOUT_MS,
  maxAttempts: MAX_ATTEMPTS,
  maxSockets: MAX_SOCKETS,
};

/** Spread into any SDK v3 client's constructor: `new SNSClient({ region, ...sdkClientOptions() })`. */
export function sdkClientOptions(limits: Partial<SdkLimits> = {}): SdkClientOptions {
  const l = { ...DEFAULT_LIMITS, ...limits };
  // Idle sockets beyond maxFreeSockets are closed, so a burst does not pin thousands of them afterwards.
  const agent = { keepAlive: true, keepAliveMsecs: 1_000, maxSockets: l.maxSockets, maxFreeSockets: 256 };
  return {
    requestHandler: {
      requestTimeout: l.attemptMs,
      connectionTimeout: l.connectMs,
      throwOnRequestTimeout: true,
      httpAgent: new HttpAgent(agent),
      httpsAgent: new HttpsAgent(agent),
    },
    retryStrategy: new BudgetRetryStrategy(l),
  };
}

class BudgetToken implements RetryToken {
  constructor(
    readonly startedAt: number,
    private readonly retries: number,
  ) {}
  getRetryCount(): number {
    return this.retries;
  }
  getRetryDelay(): number {
    return 0; // the strategy has already waited
  }
}

/**
 * Retries throttling, server and transient errors with a short jittered backoff, but never past the
 * budget: a retry happens only if its backoff plus one whole attempt still ends within `budgetMs`.
 */
export class BudgetRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';

  constructor(
    private readonly limits: Pick<SdkLimits, 'budgetMs' | 'attemptMs' | 'maxAttempts'>,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return new BudgetToken(this.now(), 0);
  }

  async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const retries = token.getRetryCount() + 1;
    if (info.errorType === 'CLIENT_ERROR') throw new Error('not retryable');
    if (retries >= this.limits.maxAttempts) throw new Error('no attempts left');
    // Full jitter over 25 ms, 50 ms, 100 ms...: enough to spread a throttled burst, small against the budget.
    const delay = Math.round(this.random() * 25 * 2 ** (retries - 1));
    const startedAt = token instanceof BudgetToken ? token.startedAt : this.now();
    if (this.now() - startedAt + delay + this.limits.attemptMs > this.limits.budgetMs) throw new Error('call budget spent');
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    return new BudgetToken(startedAt, retries);
  }

  recordSuccess(): void {}
}
