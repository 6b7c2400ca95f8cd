/**
 * The portal's license signing key: Ed25519 through node:crypto (deterministic signatures, 64 bytes, ~37k
 * signs/s here). Devices are given the public half (PEM, `publicKeyPem`) and trust the lines it signs.
 * Persisted in the store beside the CA (CloudService), so licenses issued before a restart stay valid.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { licenseKeyId, signDocument, type DocumentKind, type LicenseSigner, type SignedDocument } from '#protocol';

export const LICENSE_ISSUER = 'LicenseLabPortal';

export interface LicenseKeyMaterial {
  keyPem: string;
}

export class LicenseSigningKey implements LicenseSigner {
  readonly issuer = LICENSE_ISSUER;
  readonly keyId: string;
  readonly publicKey: KeyObject;
  readonly publicKeyPem: string;
  readonly #privateKey: KeyObject;

  private constructor(privateKey: KeyObject) {
    this.#privateKey = privateKey;
    this.publicKey = createPublicKey(privateKey);
    this.publicKeyPem = this.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    this.keyId = licenseKeyId(this.publicKey);
  }

  static generate(): LicenseSigningKey {
    return new LicenseSigningKey(generateKeyPairSync('ed25519').privateKey);
  }

  /** Restores a key persisted with export(); throws naming what is wrong with it. */
  static load(material: LicenseKeyMaterial): LicenseSigningKey {
    let key: KeyObject;
    try {
      key = createPrivateKey(material.keyPem);
    } catch (err) {
      throw new Error(`[ca] license signing keyPem is not a PEM private key: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (key.asymmetricKeyType !== 'ed25519')
      throw new Error(`[ca] the license signing key must be Ed25519, got ${key.asymmetricKeyType ?? '?'}`);
    return new LicenseSigningKey(key);
  }

  export(): LicenseKeyMaterial {
    return { keyPem: this.#privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
  }

  /** An SLP document (ACK, policy, trust code, SLAC, reservation) signed with this key. */
  signDocument(kind: DocumentKind, payload: object): SignedDocument {
    return signDocument(kind, payload, this.#privateKey, this.publicKey);
  }

  sign(text: string): string {
    return sign(null, Buffer.from(text), this.#privateKey).toString('base64url');
  }
}
