/**
 * Structured JSON logs and business metrics with Powertools for AWS Lambda. Metrics go out as CloudWatch
 * embedded metric format on stdout; in local mode they would only be noise in the terminal, so they are off.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { FlowDeps } from '../app/deps.js';
import type { WebhookStep } from '../middleware/twilio-webhook.js';

export interface Observability {
  logger: Logger;
  metrics?: Metrics;
  log: NonNullable<FlowDeps['log']>;
  metric: NonNullable<FlowDeps['metric']>;
  /** One structured log record per webhook step on AWS; locally the server prints its own plain line instead. */
  step: (step: WebhookStep) => void;
  /**
   * Writes the metrics recorded since the last flush as one EMF line on stdout (where CloudWatch reads them)
   * and empties the buffer; nothing when none were recorded (Powertools would warn on every such step).
   */
  flush: () => void;
}

/** `logLevel`: the POWERTOOLS_LOG_LEVEL of the environment the function was built from. */
export function observability(fn: string, local: boolean, logLevel?: string): Observability {
  const logger = new Logger({ serviceName: 'support-line', logLevel: (logLevel as 'INFO' | undefined) ?? (local ? 'WARN' : 'INFO') });
  logger.appendKeys({ fn });
  const metrics = local ? undefined : new Metrics({ namespace: 'SupportLine', serviceName: 'support-line' });
  return {
    logger,
    metrics,
    log: (level, message, data) => logger[level](message, data ?? {}),
    metric: (name, value = 1) => metrics?.addMetric(name, MetricUnit.Count, value),
    step: (step) => {
      if (!local) logger.info('webhook step', { ...step });
    },
    flush: () => {
      if (metrics?.hasStoredMetrics()) metrics.publishStoredMetrics();
    },
  };
}
