/**
 * Portal-signed license files for device tests: an Ed25519 signing key like the portal's
 * (cloud-mock/ca/license-signing-key.ts) and the protocol's own formatLicenseLine / formatLicenseFile, so
 * the lines are byte for byte what the portal issues. `publicKeyPem` is what a device environment trusts.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import {
  formatLicenseFile,
  formatLicenseLine,
  licenseKeyId,
  type LicenseFields,
  type LicenseSigner,
  type Udi,
} from '#protocol';

export interface TestSigner extends LicenseSigner {
  publicKeyPem: string;
}

export function testLicenseSigner(): TestSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    issuer: 'LicenseLabPortal',
    keyId: licenseKeyId(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    sign: (text) => sign(null, Buffer.from(text), privateKey).toString('base64url'),
  };
}

const ISSUED = Date.parse('2026-01-01T00:00:00Z');

/** A permanent line for `feature` on `udi` unless `fields` say otherwise. */
export function licenseLine(
  signer: LicenseSigner,
  udi: Udi,
  feature: string,
  fields: Partial<LicenseFields> = {},
): string {
  return formatLicenseLine(
    {
      id: randomBytes(8).toString('hex'),
      feature,
      version: '1.0',
      type: 'permanent',
      udi: { pid: udi.pid, sn: udi.sn },
      count: null,
      priority: 'medium',
      periodSeconds: null,
      startAt: null,
      endAt: null,
      issuedAt: ISSUED,
      ...fields,
    },
    signer,
  );
}

/** A license file of these lines, with the portal's human-readable comments. */
export function licenseFile(lines: readonly string[]): string {
  return formatLicenseFile(lines, ['License Lab portal license file (test)']);
}
