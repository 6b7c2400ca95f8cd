/** How devices name and load the portal's license signing key (the public half is all they ever hold). */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/** Hex of the first 16 bytes of SHA-256 over the key's SPKI DER: the `kid=` of every line it signs. */
export function licenseKeyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 32);
}

/** A PEM public key (`-----BEGIN PUBLIC KEY-----`); undefined when it is not one. */
export function licensePublicKeyFromPem(pem: string): KeyObject | undefined {
  try {
    return createPublicKey(pem);
  } catch {
    return undefined;
  }
}
