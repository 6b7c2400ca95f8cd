/**
 * A device acts only as itself: it names its ID certificate by serial and signs the exact body bytes
 * with the certificate's key; the UDI in the body must be the certificate's. Public keys are parsed
 * once per key (createPublicKey costs more than a verify here, ~180 µs): the registration's proof of
 * possession parses it, and every later request of the device, across ID renewals, reuses that object.
 */
import type { KeyObject } from 'node:crypto';
import { publicKeyFromSpki, udiString, verifyBytes, type Udi, HOUR } from '#protocol';
import type { ProductInstance, Tx } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';

/** base64 SPKI DER -> its parsed key; only keys of a supported type get in (parsedKey, checkProofOfPossession). */
const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_LIMIT = 200_000;

function remember(spkiB64: string, key: KeyObject): KeyObject {
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
  keyCache.set(spkiB64, key);
  return key;
}

/**
 * A base64 SPKI key, parsed once; undefined when it is not one. A key of a type registration refuses is
 * KEY_INVALID (`what` opens the message) and never cached, so every path that uses a key (registration,
 * trust, SLP reports and their pinning, SLACs) holds to one key policy.
 */
export function parsedKey(spkiB64: string, what?: string): KeyObject | undefined {
  const cached = keyCache.get(spkiB64);
  if (cached) return cached;
  const key = publicKeyFromSpki(spkiB64);
  if (!key) return undefined;
  refuseUnsupportedType(spkiB64, key, what);
  return remember(spkiB64, key);
}

/** The key of an instance (the registration checked its type); parsed again only after a cache clear or restart. */
function keyOf(instance: ProductInstance): KeyObject {
  return parsedKey(instance.publicKey)!;
}

export interface SignedRequest {
  certificateSerial: string | undefined;
  signature: string | undefined;
  body: Uint8Array;
  udi: Udi;
}

/** The signed part of every device request that makes it fresh: the device clock and a random nonce. */
export interface Freshness {
  udi: Udi;
  timestamp: number;
  nonce: string;
}

/**
 * Replay protection, as signed and timestamped Smart Licensing messages get it: a request counts once.
 * Its timestamp must be within the window of the cloud clock (CLOCK_SKEW), and its UDI and nonce must not
 * have been seen while that timestamp is in the window (REQUEST_REPLAYED). Call it after the signature is
 * checked, so only the signer can use up a nonce.
 */
export async function claimFreshness(tx: Tx, ctx: DomainContext, req: Freshness): Promise<void> {
  const now = ctx.clock.now();
  const window = ctx.policy.maxClockSkewMs;
  if (Math.abs(req.timestamp - now) > window)
    fail(
      'CLOCK_SKEW',
      `request timestamp ${new Date(req.timestamp).toISOString()} is more than ${window / HOUR} h from the cloud clock ${new Date(now).toISOString()}`,
    );
  if (!(await tx.claimNonce(`${udiString(req.udi)} ${req.nonce}`, req.timestamp + window, now)))
    fail(
      'REQUEST_REPLAYED',
      `a request of ${udiString(req.udi)} with nonce ${req.nonce} was already received; each signed request counts once`,
    );
}

export async function authenticateDevice(tx: Tx, ctx: DomainContext, req: SignedRequest): Promise<ProductInstance> {
  if (!req.certificateSerial || !req.signature)
    fail('SIGNATURE_MISSING', 'signed device requests need the X-Lab-Certificate-Serial and X-Lab-Signature headers');
  const instance = await tx.findOne('productInstances', { cert_serial: req.certificateSerial.toLowerCase() });
  if (!instance)
    fail(
      'CERTIFICATE_UNKNOWN',
      `no product instance holds ID certificate ${req.certificateSerial} (never issued, renewed since, or removed): register again`,
    );
  if (!verifyBytes(req.body, req.signature, keyOf(instance)))
    fail('SIGNATURE_INVALID', `the signature does not verify with the key of ID certificate ${req.certificateSerial}`);
  if (udiString(req.udi) !== instance.udiKey)
    fail(
      'IDENTITY_MISMATCH',
      `ID certificate ${req.certificateSerial} belongs to ${instance.udiKey}, not ${udiString(req.udi)}`,
    );
  if (ctx.clock.now() >= instance.certNotAfter)
    fail(
      'CERTIFICATE_EXPIRED',
      `ID certificate ${req.certificateSerial} expired on ${new Date(instance.certNotAfter).toISOString()}: register again`,
    );
  return instance;
}

/**
 * The base64 of every EC P-256 SPKI (RFC 5480: id-ecPublicKey, prime256v1, uncompressed point): the common
 * case is recognised without the asymmetricKeyDetails getter (~40 µs).
 */
const P256_SPKI_B64_PREFIX = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE';

/** The key policy: EC P-256/P-384, RSA ≥ 2048 or Ed25519; any other parsed key is KEY_INVALID. */
function refuseUnsupportedType(publicKeyB64: string, key: KeyObject, what?: string): void {
  if (publicKeyB64.startsWith(P256_SPKI_B64_PREFIX)) return;
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails;
  const ok =
    (type === 'ec' && (details?.namedCurve === 'prime256v1' || details?.namedCurve === 'secp384r1')) ||
    (type === 'rsa' && (details?.modulusLength ?? 0) >= 2048) ||
    type === 'ed25519';
  if (!ok)
    fail(
      'KEY_INVALID',
      `${what ? `${what}: ` : ''}public key type ${type}${details?.namedCurve ? ` ${details.namedCurve}` : ''}${details?.modulusLength ? ` ${details.modulusLength}-bit` : ''} is not supported; use EC P-256/P-384, RSA ≥ 2048 or Ed25519`,
    );
}

/** A presented key of a supported type, not cached (proof of possession caches it once it verifies). */
function supportedKey(publicKeyB64: string): KeyObject {
  const key = publicKeyFromSpki(publicKeyB64);
  if (!key) fail('KEY_INVALID', 'publicKey is not base64 SPKI DER of a public key');
  refuseUnsupportedType(publicKeyB64, key);
  return key;
}

/** Registration (and an SLP trust request) proves possession of the key it presents by signing the body with it. */
export function checkProofOfPossession(publicKeyB64: string, body: Uint8Array, signature: string | undefined): void {
  const key = keyCache.get(publicKeyB64) ?? supportedKey(publicKeyB64);
  if (!signature)
    fail(
      'SIGNATURE_MISSING',
      'a registration or trust request must be signed (X-Lab-Signature) with the private key of the public key it presents',
    );
  if (!verifyBytes(body, signature, key))
    fail('PROOF_OF_POSSESSION_FAILED', 'the request signature does not verify with the public key it presents');
  remember(publicKeyB64, key);
}
