/**
 * The count of webhooks refused for their signature, as one CloudWatch embedded-metric-format line on
 * stdout, written by the middleware itself: a forged or misrouted webhook never reaches a handler, so no
 * handler-level metrics object would see it. Written straight to stdout (not console.log), because with
 * Lambda's JSON log format console.log wraps the line and CloudWatch would no longer read it as a metric.
 */
export const METRICS_NAMESPACE = 'SupportLine';
export const SERVICE_DIMENSION = { service: 'support-line' } as const;
export const SIGNATURE_REJECTED_METRIC = 'SignatureRejected';

/** One EMF document counting `name` once, with the service dimension the alarms use, and why. */
export function emfCount(name: string, timestamp: number, properties: Record<string, string> = {}): string {
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [Object.keys(SERVICE_DIMENSION)], Metrics: [{ Name: name, Unit: 'Count' }] }],
    },
    ...SERVICE_DIMENSION,
    ...properties,
    [name]: 1,
  });
}

/**
 * The default reporter: on Lambda (where CloudWatch reads stdout) one EMF line per refused request;
 * elsewhere (local mode, tests) nothing, since the 403 already says it.
 */
export function reportSignatureRejected(
  reason: string,
  env: Record<string, string | undefined> = process.env,
  write = (line: string) => process.stdout.write(line),
): void {
  if (!env.AWS_LAMBDA_FUNCTION_NAME) return;
  write(`${emfCount(SIGNATURE_REJECTED_METRIC, Date.now(), { reason })}\n`);
}
