/**
 * Domain errors: adapters translate SDK failures into these, so handlers can answer a caller with
 * something specific ("we could not send the code") without knowing which SDK failed.
 */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A store is unreachable or throttling: the caller should hear a spoken apology, not silence. */
export class StoreUnavailableError extends DomainError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'store-unavailable', options);
  }
}

/** A conditional write lost: someone else changed the item first (a concurrent retry, a race). */
export class ConflictError extends DomainError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'conflict', options);
  }
}

/** A message could not be delivered by this channel (SNS or SES refused or failed). */
export class DeliveryFailedError extends DomainError {
  constructor(
    message: string,
    readonly channel: 'sms' | 'email',
    options?: { cause?: unknown },
  ) {
    super(message, 'delivery-failed', options);
  }
}
