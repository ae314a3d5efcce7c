/**
 * The requests of an SDK client still running (its retries and their backoff included), for fault tests
 * that check nothing lands late: a request a webhook left behind after answering (its store call lost a
 * race against the request's budget, functions/app/time-budget.ts) ends within its own bound, and waiting
 * for exactly that replaces a fixed pause that is either too long or, on a loaded machine, too short.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface InFlight {
  /** Requests of the client started and not yet ended. */
  count(): number;
  /** Requests of the client started so far: a test shows with it that it counts the client its server uses. */
  started(): number;
  /** Resolves once none is running (at once if none is): lets whatever was just let start begin first. */
  settled(): Promise<void>;
}

/** Counts the client's requests from the outermost step of its middleware stack (a document client shares its client's stack). */
export function trackInFlight(client: DynamoDBClient | DynamoDBDocumentClient, name = 'testInFlight'): InFlight {
  let running = 0;
  let started = 0;
  const waiting: Array<() => void> = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      running++;
      started++;
      try {
        return await next(args);
      } finally {
        if (--running === 0) for (const done of waiting.splice(0)) done();
      }
    },
    { step: 'initialize', name, priority: 'high' },
  );
  return {
    count: () => running,
    started: () => started,
    settled: async () => {
      await new Promise<void>((r) => setImmediate(r)); // whatever the last answer let start has started
      if (running > 0) await new Promise<void>((r) => waiting.push(r));
    },
  };
}
