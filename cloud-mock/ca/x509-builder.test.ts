import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildCertificate, keyIdentifier, type CertificateOptions } from './x509-builder.ts';
import { DAY } from '#protocol';

const NOW = Date.UTC(2030, 5, 1);
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const spki = publicKey.export({ type: 'spki', format: 'der' });
const base: CertificateOptions = {
  serialHex: '01',
  issuer: { CN: 'Test' },
  subject: { CN: 'Test' },
  notBefore: NOW,
  notAfter: NOW + DAY,
  subjectPublicKeyDer: spki,
  signerKey: privateKey,
};
const build = (over: Partial<CertificateOptions>) => new X509Certificate(buildCertificate({ ...base, ...over }));

describe('buildCertificate', () => {
  it('keeps serials positive and minimal (RFC 5280 4.1.2.2)', () => {
    expect(build({ serialHex: 'ff01' }).serialNumber).toBe('FF01'); // encoded with a 00 pad, read back as the value
    expect(build({ serialHex: '0000abc' }).serialNumber).toBe('0ABC');
    expect(() => build({ serialHex: '00' })).toThrow(/must be positive/);
    expect(() => build({ serialHex: 'ab'.repeat(21) })).toThrow(/longer than 20 octets/);
  });

  it('encodes IPv4, IPv6 and IPv4-mapped SANs as octets', () => {
    const cert = build({
      extensions: {
        subjectAltName: { dnsNames: ['a.example'], ips: ['10.1.2.3', 'fe80::1:2', '::ffff:192.0.2.1', '2001:db8::'] },
      },
    });
    expect(cert.subjectAltName).toBe(
      'DNS:a.example, IP Address:10.1.2.3, IP Address:FE80:0:0:0:0:0:1:2, IP Address:0:0:0:0:0:FFFF:C000:201, IP Address:2001:DB8:0:0:0:0:0:0',
    );
    expect(cert.checkIP('10.1.2.3')).toBe('10.1.2.3');
  });

  it('takes names as ordered attributes with OIDs, and marks CA path length', () => {
    const cert = build({
      subject: [
        { type: '2.5.4.6', value: 'US' },
        { shortName: 'O', value: 'Ünïcode Org' },
        { shortName: 'CN', value: 'x_y' },
      ],
      extensions: { basicConstraints: { ca: true, pathLen: 0 }, keyUsage: { usages: ['keyCertSign', 'decipherOnly'] } },
    });
    expect(cert.subject).toBe('C=US\nO=Ünïcode Org\nCN=x_y');
    expect(cert.ca).toBe(true);
    expect(() => build({ subject: [{ shortName: 'XX', value: 'v' }] })).toThrow(/short names/);
  });

  it('refuses signer keys other than EC P-256 and subject keys that are not a single canonical DER value', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => build({ signerKey: rsa })).toThrow(/EC P-256 private key/);
    expect(() => build({ subjectPublicKeyDer: Buffer.concat([spki, Buffer.of(0)]) })).toThrow(/subjectPublicKeyDer/);
    expect(() => build({ notAfter: NOW - 1 })).toThrow(/notAfter/);
  });

  it('derives 16-byte key identifiers from the SPKI DER', () => {
    expect(keyIdentifier(spki)).toHaveLength(16);
  });
});
