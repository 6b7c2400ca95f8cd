/**
 * The device's factory key pair: the private key as stored (PKCS#8 PEM) and parsed, and the public key as
 * the cloud certifies it (base64 SPKI DER). P-256 keys are encoded from their JWK coordinates with the
 * fixed DER prefixes of RFC 5480 / RFC 5915 (byte-identical to OpenSSL's output): node:crypto's PEM and
 * SPKI encoders cost ~100 µs each, a fleet of 10,000 devices spent seconds in them at spawn.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface DeviceKey {
  /** PKCS#8 PEM, what the trusted storage keeps. */
  pem: string;
  key: KeyObject;
  publicKeySpkiB64: string;
}

/** SubjectPublicKeyInfo of id-ecPublicKey / prime256v1, up to the uncompressed point (RFC 5480). */
const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');
/** PKCS#8 PrivateKeyInfo wrapping an ECPrivateKey (RFC 5915) up to the 32-byte private scalar. */
const P256_PKCS8_PREFIX = Buffer.from(
  '308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420',
  'hex',
);
/** [1] publicKey BIT STRING, up to the uncompressed point. */
const P256_PKCS8_PUBLIC = Buffer.from('a144034200', 'hex');
const UNCOMPRESSED = Buffer.from([4]);

function isP256(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
}

function pemOf(der: Buffer): string {
  const b64 = der.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

function p256Parts(key: KeyObject): { d: Buffer; point: Buffer } {
  const jwk = key.export({ format: 'jwk' });
  return {
    d: Buffer.from(jwk.d!, 'base64url'),
    point: Buffer.concat([UNCOMPRESSED, Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]),
  };
}

function spkiOf(key: KeyObject): string {
  if (isP256(key)) return Buffer.concat([P256_SPKI_PREFIX, p256Parts(key).point]).toString('base64');
  return createPublicKey(key).export({ format: 'der', type: 'spki' }).toString('base64');
}

/** A fresh ECDSA P-256 factory key. */
export function generateDeviceKey(): DeviceKey {
  const { privateKey: key } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { d, point } = p256Parts(key);
  return {
    pem: pemOf(Buffer.concat([P256_PKCS8_PREFIX, d, P256_PKCS8_PUBLIC, point])),
    key,
    publicKeySpkiB64: Buffer.concat([P256_SPKI_PREFIX, point]).toString('base64'),
  };
}

/** A stored or given key (any type node:crypto reads); throws what createPrivateKey throws on a bad PEM. */
export function loadDeviceKey(pem: string): DeviceKey {
  const key = createPrivateKey(pem);
  return { pem, key, publicKeySpkiB64: spkiOf(key) };
}

/**
 * The parsed keys of the devices sharing one agent machine, by PEM: the machine's context holds the PEM
 * (plain data), the exchange signs with the parsed key. A device adds its key when it loads it and deletes
 * it when it powers off; a key missing here (a restored snapshot) is parsed on first use.
 */
export class KeyRing {
  readonly #keys = new Map<string, DeviceKey>();

  add(key: DeviceKey): void {
    this.#keys.set(key.pem, key);
  }

  delete(pem: string): void {
    this.#keys.delete(pem);
  }

  /** Throws what createPrivateKey throws on a PEM that is not a private key. */
  get(pem: string): DeviceKey {
    let key = this.#keys.get(pem);
    if (key === undefined) this.#keys.set(pem, (key = loadDeviceKey(pem)));
    return key;
  }
}
