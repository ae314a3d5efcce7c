/**
 * Verification-code policy (contract §2.3). Pure: randomness and time come in as parameters; the
 * DynamoDB adapter enforces the same limits atomically with conditional writes.
 */
export const CODE_POLICY = {
  digits: 6,
  /** A code is valid this long after it was sent. */
  ttlMs: 10 * 60_000,
  /** Wrong entries a code survives; the 5th wrong entry kills it. */
  maxWrong: 5,
  /** Codes sent per organization per window. */
  maxSends: 5,
  sendWindowMs: 10 * 60_000,
} as const;

/** A fresh code: 6 uniformly random digits from `randomInt` (node's CSPRNG `crypto.randomInt` in production). */
export function generateCode(randomInt: (maxExclusive: number) => number): string {
  return String(randomInt(10 ** CODE_POLICY.digits)).padStart(CODE_POLICY.digits, '0');
}

export interface CodeRecord {
  /** HMAC of the code, bound to the call (see `adapters/crypto/code-hash.ts`). */
  hash: string;
  orgId: string;
  channel: 'sms' | 'email';
  sentAtMs: number;
  expiresAtMs: number;
  attempts: number;
  used: boolean;
}

export type AttemptOutcome =
  | { result: 'verified' }
  | { result: 'wrong'; left: number }
  | { result: 'dead' }
  | { result: 'expired' }
  | { result: 'used' }
  | { result: 'missing' };

/** What an entry does to a code, given whether it matched: the reference the store's conditions implement. */
export function evaluateAttempt(record: CodeRecord | undefined, matches: boolean, nowMs: number): { outcome: AttemptOutcome; next?: CodeRecord } {
  if (!record) return { outcome: { result: 'missing' } };
  if (record.used) return { outcome: { result: 'used' } };
  if (record.attempts >= CODE_POLICY.maxWrong) return { outcome: { result: 'dead' } };
  if (nowMs >= record.expiresAtMs) return { outcome: { result: 'expired' } };
  if (matches) return { outcome: { result: 'verified' }, next: { ...record, used: true } };
  const attempts = record.attempts + 1;
  const next = { ...record, attempts };
  return attempts >= CODE_POLICY.maxWrong
    ? { outcome: { result: 'dead' }, next }
    : { outcome: { result: 'wrong', left: CODE_POLICY.maxWrong - attempts }, next };
}

/**
 * Whether one more send fits the organization's window, given the times of earlier sends. A send stamped
 * after `nowMs` (by an instance whose clock runs a little ahead) counts and is kept: dropping it would let
 * the store rewrite the history without it and admit a sixth send.
 */
export function sendAllowed(sendTimesMs: readonly number[], nowMs: number): { allowed: boolean; recent: number[] } {
  const recent = sendTimesMs.filter((t) => t > nowMs - CODE_POLICY.sendWindowMs);
  return { allowed: recent.length < CODE_POLICY.maxSends, recent };
}

/** A well-formed entry: exactly 6 digits (the `#` is Twilio's finish key and not in Digits). */
export function isCodeShaped(digits: string): boolean {
  return /^\d{6}$/.test(digits);
}
