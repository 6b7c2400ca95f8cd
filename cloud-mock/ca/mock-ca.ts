/**
 * The mock licensing cloud's certificate authority: signs device ID certificates (classic Smart Licensing
 * registration), the cloud's TLS certificate, and the cloud's responses.
 *
 * Design decision: keys are ECDSA P-256 and every signature is made by node:crypto; node-forge only
 * assembles ASN.1 (see x509-builder.ts for the measurements behind this). Time is never read here: each
 * issuing call is given `now` (epoch ms) by the caller, which takes it from the lab clock.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { signBytes, verifyBytes, MINUTE, DAY } from '#protocol';
import { serialInteger } from './der.ts';
import {
  buildCertificate,
  issuerInfo,
  keyIdentifier,
  type CertificateExtensions,
  type DistinguishedName,
} from './x509-builder.ts';

/**
 * ID certificates start a few minutes before the registration: real `show license status` captures print
 * "Registration Expires" a few minutes earlier than the registration time plus one year, CSSM's allowance
 * for device clock skew.
 */
export const ID_CERT_BACKDATE_MS = 5 * MINUTE;
/** An ID certificate lasts one year; the device renews its registration every 6 months. */
export const ID_CERT_LIFETIME_MS = 365 * DAY;
/** The cloud's TLS certificate (`--tls`) gets the same skew allowance and one year. */
export const SERVER_CERT_LIFETIME_MS = 365 * DAY;
export const CA_LIFETIME_YEARS = 20;
export const DEFAULT_CA_COMMON_NAME = 'License Lab Mock CA';
export const ORGANIZATION = 'License Lab';

export interface CaMaterial {
  keyPem: string;
  certPem: string;
}

export interface IdCertificateRequest {
  /** The device's public key as SPKI DER (EC or RSA). */
  publicKeyDer: Buffer;
  udi: { pid: string; sn: string };
  hostname?: string;
  /** Epoch ms from the lab clock. */
  now: number;
  serialHex?: string;
  /** Lifetime from notBefore; default one year. */
  validityMs?: number;
  /** notBefore this long before `now`; default 5 minutes. */
  backdateMs?: number;
}

export interface IssuedCertificate {
  certPem: string;
  certDer: Buffer;
  serialHex: string;
  /** Epoch ms as encoded in the certificate (whole seconds). */
  notBefore: number;
  notAfter: number;
}

/** Certificates carry whole seconds; callers get back exactly what was encoded. */
const floorToSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;

/** 16 random bytes, top bit cleared so the INTEGER is positive and bit 6 set so it always encodes in 16 octets. */
const randomSerialHex = (): string => {
  const b = randomBytes(16);
  b[0] = ((b[0] ?? 0) & 0x7f) | 0x40;
  return b.toString('hex');
};

/** RFC 7468 PEM: base64 in 64-character lines. */
const toPem = (der: Buffer): string =>
  `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;

/**
 * SPKI DER (base64) already parsed by issueIdCertificate: a device renews with the key it registered, and
 * the parse costs ~0.25 ms, a third of issuing (a fleet-year profile). Bounded like the cloud's key cache.
 */
const checkedKeys = new Set<string>();
const CHECKED_KEYS_LIMIT = 200_000;

function checkSpki(der: Buffer): void {
  const id = der.toString('base64');
  if (checkedKeys.has(id)) return;
  try {
    createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch (err) {
    throw new Error(
      `[ca] publicKeyDer (${der.length} bytes) is not a DER SubjectPublicKeyInfo public key: ${(err as Error).message}`,
      { cause: err },
    );
  }
  if (checkedKeys.size >= CHECKED_KEYS_LIMIT) checkedKeys.clear();
  checkedKeys.add(id);
}

function requireP256(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(
      `[ca] ${what} must be an EC P-256 key (got ${key.asymmetricKeyType ?? '?'} ${key.asymmetricKeyDetails?.namedCurve ?? ''})`.trimEnd(),
    );
  }
}

export class MockCa {
  readonly certPem: string;
  /** Hex SHA-256 of the CA's SPKI DER, first 16 bytes; also the CA's key identifier (SKI/AKI). */
  readonly keyId: string;
  readonly publicKey: KeyObject;
  readonly #privateKey: KeyObject;
  readonly #issuerNameDer: Buffer;
  readonly #authorityKeyId: Buffer;

  private constructor(privateKey: KeyObject, cert: X509Certificate) {
    this.#privateKey = privateKey;
    this.publicKey = cert.publicKey;
    this.certPem = cert.toString();
    this.keyId = keyIdentifier(this.publicKey.export({ type: 'spki', format: 'der' })).toString('hex');
    const info = issuerInfo(cert.raw);
    this.#issuerNameDer = info.subjectNameDer;
    // A loaded CA may use another key-identifier method; AKI must repeat whatever its SKI says.
    this.#authorityKeyId = info.subjectKeyIdentifier ?? Buffer.from(this.keyId, 'hex');
  }

  /** A new P-256 key and self-signed root valid for 20 years from now - 5 min. */
  static generate(now: number, opts: { commonName?: string } = {}): MockCa {
    const commonName = opts.commonName ?? DEFAULT_CA_COMMON_NAME;
    if (!commonName.trim()) throw new Error('[ca] commonName must not be empty');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const notBefore = floorToSecond(now - ID_CERT_BACKDATE_MS);
    const notAfterDate = new Date(notBefore);
    notAfterDate.setUTCFullYear(notAfterDate.getUTCFullYear() + CA_LIFETIME_YEARS);
    const name: DistinguishedName = { O: ORGANIZATION, CN: commonName };
    const der = buildCertificate({
      serialHex: randomSerialHex(),
      issuer: name,
      subject: name,
      notBefore,
      notAfter: notAfterDate.getTime(),
      subjectPublicKeyDer: spki,
      extensions: {
        basicConstraints: { ca: true },
        keyUsage: { usages: ['keyCertSign', 'cRLSign', 'digitalSignature'] },
        subjectKeyIdentifier: keyIdentifier(spki),
      },
      signerKey: privateKey,
    });
    return new MockCa(privateKey, new X509Certificate(der));
  }

  /** Restores a CA persisted with export(). Throws if either PEM does not parse or they do not belong together. */
  static load(material: CaMaterial): MockCa {
    let cert: X509Certificate;
    let key: KeyObject;
    try {
      cert = new X509Certificate(material.certPem);
    } catch (err) {
      throw new Error(`[ca] CA certPem is not a PEM X.509 certificate: ${(err as Error).message}`, { cause: err });
    }
    try {
      key = createPrivateKey(material.keyPem);
    } catch (err) {
      throw new Error(`[ca] CA keyPem is not a PEM private key: ${(err as Error).message}`, { cause: err });
    }
    requireP256(key, 'CA key');
    if (!cert.checkPrivateKey(key)) {
      throw new Error(
        `[ca] CA keyPem does not match the certificate "${cert.subject.replace(/\n/g, ', ')}" (checkPrivateKey failed)`,
      );
    }
    return new MockCa(key, cert);
  }

  export(): CaMaterial {
    return { keyPem: this.#privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, certPem: this.certPem };
  }

  /** An ID certificate as CSSM issues at registration: subject CN is the UDI "PID:<pid>,SN:<sn>". */
  issueIdCertificate(req: IdCertificateRequest): IssuedCertificate {
    if (!Buffer.isBuffer(req.publicKeyDer)) throw new Error('[ca] publicKeyDer must be a Buffer holding SPKI DER');
    checkSpki(req.publicKeyDer);
    const { pid, sn } = req.udi;
    if (!pid || !sn) throw new Error(`[ca] udi needs a non-empty pid and sn (got pid "${pid}", sn "${sn}")`);
    const notBefore = floorToSecond(req.now - (req.backdateMs ?? ID_CERT_BACKDATE_MS));
    const notAfter = notBefore + (req.validityMs ?? ID_CERT_LIFETIME_MS);
    const serialHex = req.serialHex ?? randomSerialHex();
    const subject: DistinguishedName = {
      O: ORGANIZATION,
      ...(req.hostname ? { OU: req.hostname } : {}),
      CN: `PID:${pid},SN:${sn}`,
    };
    const certDer = this.#issue(serialHex, subject, notBefore, notAfter, req.publicKeyDer, {
      keyUsage: { usages: ['digitalSignature'] },
      extKeyUsage: { usages: ['clientAuth'] },
    });
    return { certPem: toPem(certDer), certDer, serialHex: serialInteger(serialHex).hex, notBefore, notAfter };
  }

  /** The cloud's own TLS certificate for `--tls`: a fresh P-256 key, SANs for every name and address. */
  issueServerCertificate(opts: { hostnames: string[]; ips: string[]; now: number }): {
    certPem: string;
    keyPem: string;
  } {
    const commonName = opts.hostnames[0] ?? opts.ips[0];
    if (commonName === undefined) throw new Error('[ca] issueServerCertificate needs at least one hostname or ip');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const notBefore = floorToSecond(opts.now - ID_CERT_BACKDATE_MS);
    const certDer = this.#issue(
      randomSerialHex(),
      { O: ORGANIZATION, CN: commonName },
      notBefore,
      notBefore + SERVER_CERT_LIFETIME_MS,
      publicKey.export({ type: 'spki', format: 'der' }),
      {
        keyUsage: { usages: ['digitalSignature'] },
        extKeyUsage: { usages: ['serverAuth'] },
        subjectAltName: { dnsNames: opts.hostnames, ips: opts.ips },
      },
    );
    return { certPem: toPem(certDer), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
  }

  /** Base64 ECDSA-SHA256 signature over the bytes (strings as UTF-8), the format of #protocol signBytes. */
  sign(data: Buffer | string): string {
    return signBytes(data, this.#privateKey);
  }

  /**
   * Never throws: a bad key, garbage base64 or a wrong signature all answer false. `publicKey` may be a PEM key or
   * certificate.
   */
  static verify(data: Buffer | string, signatureB64: string, publicKey: KeyObject | string): boolean {
    try {
      if (
        typeof signatureB64 !== 'string' ||
        !/^[A-Za-z0-9+/]*={0,2}$/.test(signatureB64) ||
        signatureB64.length % 4 !== 0
      )
        return false;
      const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
      return verifyBytes(data, signatureB64, key);
    } catch {
      return false;
    }
  }

  #issue(
    serialHex: string,
    subject: DistinguishedName,
    notBefore: number,
    notAfter: number,
    spki: Buffer,
    extensions: CertificateExtensions,
  ): Buffer {
    return buildCertificate({
      serialHex,
      issuer: this.#issuerNameDer,
      subject,
      notBefore,
      notAfter,
      subjectPublicKeyDer: spki,
      extensions: {
        basicConstraints: { ca: false },
        ...extensions,
        subjectKeyIdentifier: keyIdentifier(spki),
        authorityKeyIdentifier: this.#authorityKeyId,
      },
      signerKey: this.#privateKey,
    });
  }
}
