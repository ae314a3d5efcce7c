/**
 * Maps DynamoDB SDK errors to domain errors for every DynamoDB adapter, so flows can answer a caller
 * specifically ("our systems are busy") without knowing the SDK. A lost condition becomes
 * `ConflictError`; anything that means "the store cannot answer now" becomes `StoreUnavailableError`;
 * anything else (a bug, a bad request) passes through unchanged.
 */
import { ConflictError, StoreUnavailableError } from '../../domain/errors.js';

const UNAVAILABLE_NAMES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  // A missing table is a deployment fault, but to a caller it is the same: the store cannot answer.
  'ResourceNotFoundException',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function isConditionFailed(e: unknown): boolean {
  return (e as { name?: string })?.name === 'ConditionalCheckFailedException';
}

export function mapDynamoError(error: unknown, action: string): Error {
  if (error instanceof StoreUnavailableError || error instanceof ConflictError) return error;
  if (isConditionFailed(error)) return new ConflictError(`${action}: condition failed`, { cause: error });
  const e = error as {
    name?: string;
    code?: string;
    message?: string;
    errors?: Array<{ code?: string }>;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const status = e?.$metadata?.httpStatusCode;
  const unavailable =
    (e?.name !== undefined && UNAVAILABLE_NAMES.has(e.name)) ||
    (e?.code !== undefined && NETWORK_CODES.has(e.code)) ||
    // Node reports a refused connection to every address of a host as an AggregateError of them.
    (e?.errors ?? []).some((inner) => inner?.code !== undefined && NETWORK_CODES.has(inner.code)) ||
    (status !== undefined && status >= 500) ||
    e?.$retryable !== undefined;
  if (unavailable) return new StoreUnavailableError(`DynamoDB unavailable (${action}): ${e?.name ?? 'Error'}: ${e?.message ?? ''}`, { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Runs one conditional write: its output, or `undefined` when its condition did not hold (someone else
 * wrote first, the item is not in the expected state). Any other failure is translated as by `dynamo`.
 */
export async function writeIf<T>(action: string, op: () => Promise<T>): Promise<T | undefined> {
  try {
    return await op();
  } catch (e) {
    if (isConditionFailed(e)) return undefined;
    throw mapDynamoError(e, action);
  }
}

/** Runs one DynamoDB call, translating its failure. */
export async function dynamo<T>(action: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    throw mapDynamoError(e, action);
  }
}
