/**
 * Maps DynamoDB SDK errors to domain errors, so flows can answer a caller specifically ("our systems are
 * busy") without knowing the SDK. Anything unrecognized stays as it is (a bug, not an outage).
 */
import { ConflictError, StoreUnavailableError } from '../../domain/errors.js';

const UNAVAILABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UnknownEndpoint',
  'NetworkingError',
]);

export function isConditionFailed(e: unknown): boolean {
  return (e as { name?: string })?.name === 'ConditionalCheckFailedException';
}

export function mapDynamoError(e: unknown, what: string): Error {
  const err = e as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; message?: string };
  if (isConditionFailed(e)) return new ConflictError(`${what}: condition failed`, { cause: e });
  const status = err?.$metadata?.httpStatusCode;
  if (UNAVAILABLE.has(err?.name ?? '') || UNAVAILABLE.has(err?.code ?? '') || (status !== undefined && status >= 500) || /ECONNREFUSED|socket hang up|ECONNRESET|timed? ?out/i.test(err?.message ?? '')) {
    return new StoreUnavailableError(`${what}: DynamoDB unavailable (${err?.name ?? err?.code ?? 'error'})`, { cause: e });
  }
  return e instanceof Error ? e : new Error(String(e));
}

/** Runs one DynamoDB call, translating its failure. */
export async function dynamo<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    throw mapDynamoError(e, what);
  }
}
