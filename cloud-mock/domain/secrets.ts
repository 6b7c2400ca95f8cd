/**
 * Secrets at rest: passwords and client secrets as salted scrypt hashes (their parameters stored with
 * them, so the cost can change without breaking old hashes); OAuth2 tokens, which are 256 random bits,
 * as plain SHA-256 (a slow hash adds nothing to a secret that cannot be guessed). Nothing here is logged.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;

function scryptAsync(secret: string, salt: Buffer, N: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    // maxmem: N·r·128 bytes plus headroom, so costs up to 2^17 work.
    scrypt(secret, salt, KEY_LENGTH, { N, r: 8, p: 1, maxmem: 256 * N * 8 + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$<N>$<salt b64>$<hash b64>`; N is a power of two (the policy's secretHashCost). */
export async function hashSecret(secret: string, N: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, N);
  return `scrypt$${N}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(secret, Buffer.from(salt, 'base64'), Number(n));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Compared against when the client or user is unknown, so a wrong name costs as long as a wrong secret. */
export const dummySecretHash = (cost: number): string =>
  `scrypt$${cost}$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`;

/** A fresh bearer or refresh token: 256 random bits, base64url. */
export function newTokenValue(): string {
  return randomBytes(32).toString('base64url');
}

/** How a token is stored and looked up. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
