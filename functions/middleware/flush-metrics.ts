/**
 * Writes the metrics an invocation recorded (Powertools `addMetric` only buffers them) as CloudWatch
 * embedded-metric-format lines on stdout, after every invocation: answered, failed, or cut short by the
 * early-timeout answer. Without it no business metric ever reached CloudWatch, and the alarms on them
 * (VerificationFailed, TopPriorityTicket: lib/voice-stack.ts) could never fire. Outermost, so it runs last.
 */
import type middy from '@middy/core';

export function flushMetrics<E, R, Err extends Error, C>(flush: () => void): middy.MiddlewareObj<E, R, Err, C> {
  return {
    after: async () => flush(),
    onError: async () => flush(),
  };
}
