import { describe, expect, it } from 'vitest';
import { hashPin, verifyPin } from '../../../functions/adapters/crypto/pin-hash.js';

describe('PIN hashing', () => {
  it('stores scrypt$salt$hash with a 16-byte salt and never the PIN', async () => {
    const hash = await hashPin('4321');
    const [scheme, salt, key] = hash.split('$');
    expect(scheme).toBe('scrypt');
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(key ?? '', 'base64')).toHaveLength(32);
    expect(hash).not.toContain('4321');
  });

  it('verifies the right PIN and rejects wrong ones', async () => {
    const hash = await hashPin('4321');
    expect(await verifyPin('4321', hash)).toBe(true);
    expect(await verifyPin('4322', hash)).toBe(false);
    expect(await verifyPin('', hash)).toBe(false);
    expect(await verifyPin('43210', hash)).toBe(false);
  });

  it('salts every hash: the same PIN hashes differently, and each verifies', async () => {
    const a = await hashPin('13579');
    const b = await hashPin('13579');
    expect(a).not.toBe(b);
    expect(await verifyPin('13579', a)).toBe(true);
    expect(await verifyPin('13579', b)).toBe(true);
  });

  it('treats malformed hashes as no match instead of throwing', async () => {
    for (const bad of ['', '4321', 'scrypt$$', 'bcrypt$abc$def', 'scrypt$AAAA$AAAA', 'scrypt$a$b$c']) {
      expect(await verifyPin('4321', bad)).toBe(false);
    }
  });
});
