/**
 * Codes are stored only as an HMAC-SHA256 under a server-side key, bound to the call they were sent for:
 * a leaked table reveals no code, and a code cannot be replayed on another call. Comparison is
 * constant-time so response timing says nothing about how close an entry was.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CodeHasher } from '../../app/ports.js';

export function hashCode(key: string, callSid: string, code: string): string {
  return createHmac('sha256', key).update(`${callSid}:${code}`).digest('base64url');
}

export function codeMatches(key: string, callSid: string, entered: string, storedHash: string): boolean {
  const a = Buffer.from(hashCode(key, callSid, entered));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The `CodeHasher` port, as wired in production. */
export const hmacCodeHasher: CodeHasher = { hash: hashCode, matches: codeMatches };
