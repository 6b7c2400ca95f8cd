import { describe, expect, it } from 'vitest';
import { hashSecret, newTokenValue, tokenDigest, verifySecret } from './secrets.ts';

describe('secrets', () => {
  it('hashes with a fresh salt and the cost written into the hash; verifies only the same secret', async () => {
    const a = await hashSecret('lab-secret-1', 1024);
    const b = await hashSecret('lab-secret-1', 1024);
    expect(a).toMatch(/^scrypt\$1024\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('lab-secret-1');
    expect(await verifySecret('lab-secret-1', a)).toBe(true);
    expect(await verifySecret('lab-secret-2', a)).toBe(false);
    expect(await verifySecret('lab-secret-1', 'plain')).toBe(false);
  });

  it('tokens are 256 random bits, stored by SHA-256', () => {
    const t = newTokenValue();
    expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    expect(newTokenValue()).not.toBe(t);
    expect(tokenDigest(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenDigest(t)).toBe(tokenDigest(t));
  });
});
