import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLicenseTrust, formatLicenseLine, parseLicenseLine } from '#protocol';
import { LicenseSigningKey } from './index.ts';

const fields = {
  id: '00000000000000aa',
  feature: 'ipservices',
  version: '1.0',
  type: 'permanent',
  udi: { pid: 'WS-C3750E-24TD-S', sn: 'FDO1307R0W9' },
  count: null,
  priority: 'medium',
  periodSeconds: null,
  startAt: null,
  endAt: null,
  issuedAt: Date.parse('2026-01-01T00:00:00Z'),
} as const;

describe('LicenseSigningKey', () => {
  it('signs lines that devices trusting its public PEM accept, also after export() and load()', () => {
    const key = LicenseSigningKey.generate();
    const again = LicenseSigningKey.load(key.export());
    expect(again.keyId).toBe(key.keyId);
    expect(key.keyId).toMatch(/^[0-9a-f]{32}$/);
    expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const line = formatLicenseLine(fields, key);
    // Ed25519 is deterministic: the reloaded key signs the same bytes.
    expect(formatLicenseLine(fields, again)).toBe(line);
    expect(parseLicenseLine(line, createLicenseTrust([again.publicKeyPem])).ok).toBe(true);
  });

  it('load() refuses what is not an Ed25519 private key', () => {
    expect(() => LicenseSigningKey.load({ keyPem: 'nope' })).toThrow(/not a PEM private key/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(() => LicenseSigningKey.load({ keyPem: ec as string })).toThrow(/must be Ed25519, got ec/);
  });
});
