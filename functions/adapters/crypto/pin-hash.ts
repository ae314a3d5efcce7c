/**
 * Agent PIN hashing. PINs are short (4-8 digits), so a fast hash would fall to brute force the moment
 * the directory table leaked; scrypt makes each guess expensive and a per-agent random salt stops one
 * precomputed table from serving every agent. The format carries its own salt so verification needs
 * nothing but the stored string: `scrypt$<saltB64>$<hashB64>`.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PinHasher } from '../../app/ports.js';

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** Node's defaults, written out so a future default change cannot silently break stored hashes. */
const PARAMS: ScryptOptions = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function scrypt(pin: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(pin.normalize('NFKC'), salt, KEY_LENGTH, PARAMS, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** Hashes a PIN with a fresh random salt; two hashes of the same PIN differ. */
export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await scrypt(pin, salt);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/**
 * True when `pin` matches `pinHash`. The comparison is constant-time so response timing tells an
 * attacker nothing about how close a guess was; a malformed hash is simply "no match", never a throw,
 * because a caller at the keypad must hear "wrong PIN", not an application error.
 */
export async function verifyPin(pin: string, pinHash: string): Promise<boolean> {
  const parts = pinHash.split('$');
  if (parts.length !== 3 || parts[0] !== 'scrypt') return false;
  const salt = Buffer.from(parts[1] ?? '', 'base64');
  const expected = Buffer.from(parts[2] ?? '', 'base64');
  if (salt.length === 0 || expected.length !== KEY_LENGTH) return false;
  const actual = await scrypt(pin, salt);
  return timingSafeEqual(actual, expected);
}

/** The `PinHasher` port, as wired in production. */
export const scryptPinHasher: PinHasher = { hash: hashPin, verify: verifyPin };
