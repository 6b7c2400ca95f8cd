import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { createServer, get } from 'node:https';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { ID_CERT_BACKDATE_MS, ID_CERT_LIFETIME_MS, MockCa } from './index.ts';
import { MINUTE } from '#protocol';

// A fixed lab time with milliseconds, to show certificates carry whole seconds.
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0, 123);
const UDI = { pid: 'C9300-24T', sn: 'FOC2233X0AB' };
const ca = MockCa.generate(NOW);
const caCert = new X509Certificate(ca.certPem);
const ecKey = () =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;

/** Tag numbers of the Validity times (UTCTime 23, GeneralizedTime 24) read back with forge.asn1. */
function validityTags(certDer: Buffer): number[] {
  const cert = forge.asn1.fromDer(certDer.toString('binary'));
  const tbs = (cert.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
  return (tbs[4]!.value as forge.asn1.Asn1[]).map((t) => t.type);
}

describe('MockCa root', () => {
  it('is a self-signed P-256 CA valid 20 years from now - 5 min', () => {
    expect(caCert.ca).toBe(true);
    expect(caCert.subject).toContain('CN=License Lab Mock CA');
    expect(caCert.verify(ca.publicKey)).toBe(true);
    expect(caCert.validFromDate).toEqual(new Date(seconds(NOW - 5 * MINUTE)));
    expect(caCert.validToDate.getUTCFullYear()).toBe(2045);
    expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(ca.keyId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('load() round-trips export()', () => {
    const again = MockCa.load(ca.export());
    expect(again.certPem).toBe(ca.certPem);
    expect(again.keyId).toBe(ca.keyId);
    const issued = again.issueIdCertificate({ publicKeyDer: ecKey(), udi: UDI, now: NOW });
    expect(new X509Certificate(issued.certPem).verify(ca.publicKey)).toBe(true);
  });

  it('load() rejects a key that does not match the certificate, and unparseable PEMs', () => {
    const other = MockCa.generate(NOW);
    expect(() => MockCa.load({ keyPem: other.export().keyPem, certPem: ca.certPem })).toThrow(/does not match/);
    expect(() => MockCa.load({ keyPem: 'nope', certPem: ca.certPem })).toThrow(/keyPem is not a PEM private key/);
    expect(() => MockCa.load({ keyPem: ca.export().keyPem, certPem: 'nope' })).toThrow(
      /certPem is not a PEM X.509 certificate/,
    );
  });
});

describe('MockCa loaded from an openssl-made CA', () => {
  it("copies the issuer Name byte for byte and repeats the CA's own SHA-1 subjectKeyIdentifier as AKI", () => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-ca-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-subj',
          '/C=US/O=Foreign/CN=Foreign CA',
          '-addext',
          'keyUsage=critical,keyCertSign,cRLSign',
          '-days',
          '36500',
          '-keyout',
          join(dir, 'k.pem'),
          '-out',
          join(dir, 'c.pem'),
        ],
        { stdio: 'ignore' },
      );
      const foreign = MockCa.load({
        keyPem: readFileSync(join(dir, 'k.pem'), 'utf8'),
        certPem: readFileSync(join(dir, 'c.pem'), 'utf8'),
      });
      writeFileSync(
        join(dir, 'id.pem'),
        foreign.issueIdCertificate({ publicKeyDer: ecKey(), udi: UDI, now: Date.now() }).certPem,
      );
      const verified = execFileSync(
        'openssl',
        ['verify', '-x509_strict', '-purpose', 'sslclient', '-CAfile', join(dir, 'c.pem'), join(dir, 'id.pem')],
        { encoding: 'utf8' },
      );
      expect(verified).toContain(': OK');
      const ski = execFileSync(
        'openssl',
        ['x509', '-in', join(dir, 'c.pem'), '-noout', '-ext', 'subjectKeyIdentifier'],
        { encoding: 'utf8' },
      )
        .split('\n')[1]!
        .trim();
      const aki = execFileSync(
        'openssl',
        ['x509', '-in', join(dir, 'id.pem'), '-noout', '-ext', 'authorityKeyIdentifier'],
        { encoding: 'utf8' },
      );
      expect(aki).toContain(ski);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a CA key that is not EC P-256', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(() =>
      MockCa.load({ keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, certPem: ca.certPem }),
    ).toThrow(/EC P-256/);
  });
});

describe('issueIdCertificate', () => {
  it('issues a certificate chained to the CA with the UDI, the device key and the registration validity', () => {
    const publicKeyDer = ecKey();
    const issued = ca.issueIdCertificate({
      publicKeyDer,
      udi: UDI,
      hostname: 'sw-core-1',
      now: NOW,
      serialHex: '0a1b2c3d',
    });
    const cert = new X509Certificate(issued.certPem);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.subject).toContain('PID:C9300-24T');
    expect(cert.subject).toContain('SN:FOC2233X0AB');
    expect(cert.subject).toContain('OU=sw-core-1');
    expect(cert.validFromDate).toEqual(new Date(seconds(NOW - ID_CERT_BACKDATE_MS)));
    expect(cert.validToDate).toEqual(new Date(seconds(NOW - ID_CERT_BACKDATE_MS) + ID_CERT_LIFETIME_MS));
    expect(issued.notBefore).toBe(cert.validFromDate.getTime());
    expect(issued.notAfter).toBe(cert.validToDate.getTime());
    expect(cert.serialNumber).toBe('0A1B2C3D');
    expect(issued.serialHex).toBe('0a1b2c3d');
    expect(cert.publicKey.export({ type: 'spki', format: 'der' }).equals(publicKeyDer)).toBe(true);
    expect(issued.certDer.equals(cert.raw)).toBe(true);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // Node reports the EKU here: clientAuth
  });

  it('draws a positive 16-byte random serial when none is given', () => {
    const a = ca.issueIdCertificate({ publicKeyDer: ecKey(), udi: UDI, now: NOW });
    const b = ca.issueIdCertificate({ publicKeyDer: ecKey(), udi: UDI, now: NOW });
    expect(a.serialHex).toMatch(/^[0-7][0-9a-f]{31}$/);
    expect(a.serialHex).not.toBe(b.serialHex);
    expect(new X509Certificate(a.certPem).serialNumber).toBe(a.serialHex.toUpperCase());
  });

  it('accepts RSA-2048 device keys', () => {
    const publicKeyDer = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      type: 'spki',
      format: 'der',
    });
    const cert = new X509Certificate(ca.issueIdCertificate({ publicKeyDer, udi: UDI, now: NOW }).certPem);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyType).toBe('rsa');
    expect(cert.publicKey.export({ type: 'spki', format: 'der' }).equals(publicKeyDer)).toBe(true);
  });

  it('fails verification when a byte of the TBS is flipped', () => {
    const { certDer } = ca.issueIdCertificate({ publicKeyDer: ecKey(), udi: UDI, now: NOW });
    const tampered = Buffer.from(certDer);
    const at = tampered.indexOf('FOC2233X0AB');
    tampered[at] = 'G'.charCodeAt(0);
    expect(new X509Certificate(tampered).verify(ca.publicKey)).toBe(false);
  });

  it('rejects a publicKeyDer that is not an SPKI public key, naming the problem', () => {
    expect(() => ca.issueIdCertificate({ publicKeyDer: Buffer.from('garbage'), udi: UDI, now: NOW })).toThrow(
      /publicKeyDer .* not a DER SubjectPublicKeyInfo/,
    );
    const pkcs8 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'der',
    });
    expect(() => ca.issueIdCertificate({ publicKeyDer: pkcs8, udi: UDI, now: NOW })).toThrow(/SubjectPublicKeyInfo/);
    expect(() => ca.issueIdCertificate({ publicKeyDer: ecKey(), udi: { pid: '', sn: 'X' }, now: NOW })).toThrow(
      /non-empty pid/,
    );
    expect(() => ca.issueIdCertificate({ publicKeyDer: ecKey(), udi: UDI, now: NOW, serialHex: 'xyz' })).toThrow(
      /serial "xyz"/,
    );
  });

  it('checks a key once: a renewal with the same key is issued, a refused key is refused every time', () => {
    const key = ecKey();
    const first = new X509Certificate(ca.issueIdCertificate({ publicKeyDer: key, udi: UDI, now: NOW }).certPem);
    const renewal = new X509Certificate(
      ca.issueIdCertificate({ publicKeyDer: key, udi: UDI, now: NOW + 1000 }).certPem,
    );
    expect(renewal.publicKey.equals(first.publicKey)).toBe(true);
    expect(renewal.verify(caCert.publicKey)).toBe(true);
    for (let i = 0; i < 2; i++)
      expect(() => ca.issueIdCertificate({ publicKeyDer: Buffer.from('garbage'), udi: UDI, now: NOW })).toThrow(
        /not a DER SubjectPublicKeyInfo/,
      );
  });

  it('encodes UTCTime before 2050 and GeneralizedTime from 2050 on (RFC 5280 4.1.2.5)', () => {
    const before = ca.issueIdCertificate({ publicKeyDer: ecKey(), udi: UDI, now: NOW });
    expect(validityTags(before.certDer)).toEqual([forge.asn1.Type.UTCTIME, forge.asn1.Type.UTCTIME]);
    const straddle = ca.issueIdCertificate({ publicKeyDer: ecKey(), udi: UDI, now: Date.UTC(2049, 6, 1) });
    expect(validityTags(straddle.certDer)).toEqual([forge.asn1.Type.UTCTIME, forge.asn1.Type.GENERALIZEDTIME]);
    const later = ca.issueIdCertificate({ publicKeyDer: ecKey(), udi: UDI, now: Date.UTC(2061, 2, 3, 4, 5, 6) });
    const cert = new X509Certificate(later.certPem);
    expect(validityTags(later.certDer)).toEqual([forge.asn1.Type.GENERALIZEDTIME, forge.asn1.Type.GENERALIZEDTIME]);
    expect(cert.validFromDate).toEqual(new Date(Date.UTC(2061, 2, 3, 4, 0, 6)));
  });

  it('is accepted by the openssl CLI', () => {
    const { certPem } = ca.issueIdCertificate({ publicKeyDer: ecKey(), udi: UDI, hostname: 'r1', now: NOW });
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: certPem, encoding: 'utf8' });
    expect(text).toContain('ecdsa-with-SHA256');
    expect(text).toContain('TLS Web Client Authentication');
    expect(text).toContain('PID:C9300-24T,SN:FOC2233X0AB');
  });
});

describe('sign / verify', () => {
  const body = '{"status":"SUCCESS"}';

  it('round-trips, with the key as KeyObject, PEM public key or certificate PEM', () => {
    const sig = ca.sign(body);
    expect(MockCa.verify(body, sig, ca.publicKey)).toBe(true);
    expect(MockCa.verify(Buffer.from(body), sig, ca.publicKey.export({ type: 'spki', format: 'pem' }) as string)).toBe(
      true,
    );
    expect(MockCa.verify(body, sig, ca.certPem)).toBe(true);
  });

  it('answers false, never throws, on tampered data, garbage and wrong keys', () => {
    const sig = ca.sign(body);
    expect(MockCa.verify(body.replace('SUCCESS', 'FAILURE'), sig, ca.publicKey)).toBe(false);
    expect(MockCa.verify(body, 'not base64!!', ca.publicKey)).toBe(false);
    expect(MockCa.verify(body, Buffer.from('junk').toString('base64'), ca.publicKey)).toBe(false);
    expect(MockCa.verify(body, '', ca.publicKey)).toBe(false);
    expect(MockCa.verify(body, sig, MockCa.generate(NOW).publicKey)).toBe(false);
    expect(MockCa.verify(body, sig, 'not a pem')).toBe(false);
  });
});

describe('issueServerCertificate', () => {
  it('serves real TLS to a client trusting only the CA', async () => {
    // The TLS stack checks validity against the wall clock, so this chain is issued at wall-clock time.
    const liveCa = MockCa.generate(Date.now());
    const { certPem, keyPem } = liveCa.issueServerCertificate({
      hostnames: ['localhost'],
      ips: ['127.0.0.1', '::1'],
      now: Date.now(),
    });
    expect(new X509Certificate(certPem).subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    const server = createServer({ key: keyPem, cert: certPem }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const reply = await new Promise<string>((resolve, reject) => {
        get({ host: '127.0.0.1', port, path: '/', ca: liveCa.certPem, agent: false }, (res) => {
          let text = '';
          res
            .setEncoding('utf8')
            .on('data', (chunk: string) => (text += chunk))
            .on('end', () => resolve(text));
        }).on('error', reject);
      });
      expect(reply).toBe('ok');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('rejects a bad IP and an empty name list', () => {
    expect(() => ca.issueServerCertificate({ hostnames: ['h'], ips: ['300.1.1.1'], now: NOW })).toThrow(
      /"300.1.1.1" is not an IPv4 or IPv6 address/,
    );
    expect(() => ca.issueServerCertificate({ hostnames: [], ips: [], now: NOW })).toThrow(
      /at least one hostname or ip/,
    );
  });
});
