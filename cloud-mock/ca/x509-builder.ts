/**
 * Builds X.509 v3 certificates (RFC 5280) signed with ECDSA P-256 / ecdsa-with-SHA256.
 *
 * Design decision: node-forge is used only for ASN.1/DER/PEM structures (`forge.asn1`,
 * `forge.pki.distinguishedNameToAsn1`), never for RSA or any other key math. Every key and signature goes
 * through node:crypto, measured on this machine: node-forge RSA signs ~45/s, node:crypto ECDSA P-256 signs
 * ~30,000/s and verifies ~12,000/s, and a fleet registering thousands of devices needs the latter. The
 * subject key is taken as SPKI DER and embedded as-is, so EC and RSA device keys both work without forge
 * ever understanding them.
 */
import { createHash, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import {
  bits,
  bool,
  children,
  ctx,
  der,
  fromBytes,
  ipBytes,
  nameNode,
  octets,
  oid,
  seq,
  serialInteger,
  smallInt,
  timeNode,
  toBytes,
  type Asn1,
  type DistinguishedName,
} from './der.ts';

export type { DistinguishedName, NameAttribute, NameRecord } from './der.ts';

/** ecdsa-with-SHA256; parameters are absent (RFC 5758 3.2). */
export const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

const KEY_USAGE_BITS = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
} as const;
export type KeyUsage = keyof typeof KEY_USAGE_BITS;

const EKU_OIDS = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' } as const;
export type ExtKeyUsage = keyof typeof EKU_OIDS;

/** `critical` defaults follow RFC 5280: basicConstraints and keyUsage critical, the rest not. */
export interface CertificateExtensions {
  basicConstraints?: { ca: boolean; pathLen?: number; critical?: boolean };
  keyUsage?: { usages: readonly KeyUsage[]; critical?: boolean };
  extKeyUsage?: { usages: readonly ExtKeyUsage[]; critical?: boolean };
  subjectAltName?: { dnsNames?: readonly string[]; ips?: readonly string[]; critical?: boolean };
  /** Key identifier bytes, usually `keyIdentifier(subjectPublicKeyDer)`. */
  subjectKeyIdentifier?: Buffer;
  /** The issuer's subjectKeyIdentifier, so chain builders can find it (RFC 5280 4.2.1.1). */
  authorityKeyIdentifier?: Buffer;
}

export interface CertificateOptions {
  serialHex: string;
  /** A name description, or the issuer certificate's subject Name DER copied byte for byte. */
  issuer: DistinguishedName | Buffer;
  subject: DistinguishedName;
  /** Epoch ms; encoded with seconds precision. */
  notBefore: number;
  notAfter: number;
  /** SubjectPublicKeyInfo DER, e.g. `key.export({ type: 'spki', format: 'der' })`. */
  subjectPublicKeyDer: Buffer;
  extensions?: CertificateExtensions;
  /** EC P-256 private key of the issuer. */
  signerKey: KeyObject;
}

/** The key identifier this CA uses everywhere: SHA-256 of the SPKI DER, first 16 bytes. */
export function keyIdentifier(spkiDer: Buffer): Buffer {
  return createHash('sha256').update(spkiDer).digest().subarray(0, 16);
}

// KeyObject's type/details getters cost about as much as the ECDSA signature itself, so a signer key is
// checked once and remembered (a CA signs every certificate with the same key).
const checkedSigners = new WeakSet<KeyObject>();
function requireP256Signer(key: KeyObject): void {
  if (checkedSigners.has(key)) return;
  if (
    key.type !== 'private' ||
    key.asymmetricKeyType !== 'ec' ||
    key.asymmetricKeyDetails?.namedCurve !== 'prime256v1'
  ) {
    throw new Error(
      `[ca] signerKey must be an EC P-256 private key (got ${key.type} ${key.asymmetricKeyType ?? '?'} ${key.asymmetricKeyDetails?.namedCurve ?? ''})`.trimEnd(),
    );
  }
  checkedSigners.add(key);
}

/** Returns the certificate DER. Throws an Error naming the bad option. */
export function buildCertificate(opts: CertificateOptions): Buffer {
  requireP256Signer(opts.signerKey);
  if (!(opts.notAfter >= opts.notBefore))
    throw new Error(`[ca] notAfter ${opts.notAfter} is before notBefore ${opts.notBefore}`);
  const algorithm = seq([oid(ECDSA_WITH_SHA256)]);
  const exts = extensionNodes(opts.extensions ?? {});
  const tbs = seq([
    ctx(0, [smallInt(2)]), // version v3
    serialInteger(opts.serialHex).node,
    algorithm,
    Buffer.isBuffer(opts.issuer) ? parseDer(opts.issuer, 'issuer Name DER') : nameNode(opts.issuer),
    seq([timeNode(opts.notBefore), timeNode(opts.notAfter)]),
    nameNode(opts.subject),
    parseDer(opts.subjectPublicKeyDer, 'subjectPublicKeyDer'),
    ...(exts.length ? [ctx(3, [seq(exts)])] : []),
  ]);
  const tbsDer = der(tbs);
  // node:crypto emits ECDSA signatures as DER Ecdsa-Sig-Value, exactly what X.509 carries in the BIT STRING.
  const signature = sign('sha256', tbsDer, opts.signerKey);
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }, spliced from bytes so the
  // TBS is not encoded a second time.
  const body = Buffer.concat([tbsDer, der(algorithm), der(bits(toBytes(signature)))]);
  return Buffer.concat([Buffer.of(0x30), derLength(body.length), body]);
}

/** DER definite length: short form below 128, else 0x80|count followed by big-endian length octets. */
function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.of(n);
  const octets: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) octets.unshift(v & 0xff);
  return Buffer.of(0x80 | octets.length, ...octets);
}

/** Parses one whole DER value and checks it re-encodes to the same bytes, so it is embedded as-is. */
function parseDer(bytes: Buffer, what: string): Asn1 {
  let node: Asn1;
  try {
    node = forge.asn1.fromDer(toBytes(bytes));
  } catch (err) {
    throw new Error(`[ca] ${what} is not a single DER value (${bytes.length} bytes): ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (!der(node).equals(bytes)) throw new Error(`[ca] ${what} is not canonical DER (${bytes.length} bytes)`);
  return node;
}

function extension(id: string, critical: boolean, value: Asn1): Asn1 {
  // DER omits a BOOLEAN that equals its DEFAULT (critical DEFAULT FALSE).
  return seq([oid(id), ...(critical ? [bool(true)] : []), octets(toBytes(der(value)))]);
}

function extensionNodes(e: CertificateExtensions): Asn1[] {
  const out: Asn1[] = [];
  if (e.basicConstraints) {
    const { ca, pathLen, critical = true } = e.basicConstraints;
    out.push(
      extension(
        '2.5.29.19',
        critical,
        seq([...(ca ? [bool(true)] : []), ...(ca && pathLen !== undefined ? [smallInt(pathLen)] : [])]),
      ),
    );
  }
  if (e.keyUsage) out.push(extension('2.5.29.15', e.keyUsage.critical ?? true, keyUsageBits(e.keyUsage.usages)));
  if (e.extKeyUsage) {
    out.push(
      extension('2.5.29.37', e.extKeyUsage.critical ?? false, seq(e.extKeyUsage.usages.map((u) => oid(EKU_OIDS[u])))),
    );
  }
  if (e.subjectAltName) {
    const { dnsNames = [], ips = [], critical = false } = e.subjectAltName;
    // GeneralName: dNSName [2] IA5String, iPAddress [7] OCTET STRING, both IMPLICIT.
    const names = [...dnsNames.map((d) => ctx(2, d)), ...ips.map((ip) => ctx(7, toBytes(ipBytes(ip))))];
    if (names.length === 0) throw new Error('[ca] subjectAltName needs at least one dnsName or ip');
    out.push(extension('2.5.29.17', critical, seq(names)));
  }
  if (e.subjectKeyIdentifier) out.push(extension('2.5.29.14', false, octets(toBytes(e.subjectKeyIdentifier))));
  if (e.authorityKeyIdentifier)
    out.push(extension('2.5.29.35', false, seq([ctx(0, toBytes(e.authorityKeyIdentifier))])));
  return out;
}

/** KeyUsage is a named BIT STRING: DER drops trailing zero bits and counts them as unused. */
function keyUsageBits(usages: readonly KeyUsage[]): Asn1 {
  if (usages.length === 0)
    throw new Error(`[ca] keyUsage needs at least one of ${Object.keys(KEY_USAGE_BITS).join(', ')}`);
  const positions = usages.map((u) => {
    const bit = KEY_USAGE_BITS[u];
    if (bit === undefined)
      throw new Error(`[ca] unknown keyUsage "${u}"; expected one of ${Object.keys(KEY_USAGE_BITS).join(', ')}`);
    return bit;
  });
  const highest = Math.max(...positions);
  const bytes = Buffer.alloc((highest >> 3) + 1);
  for (const p of positions) bytes[p >> 3] = (bytes[p >> 3] ?? 0) | (0x80 >> (p & 7));
  return bits(toBytes(bytes), 7 - (highest & 7));
}

/**
 * Reads what an issuer needs from its own certificate: the subject Name DER (copied byte for byte into
 * issued certificates' issuer field, so chain building matches exactly) and its subjectKeyIdentifier.
 */
export function issuerInfo(certDer: Buffer): { subjectNameDer: Buffer; subjectKeyIdentifier?: Buffer } {
  const cert = forge.asn1.fromDer(toBytes(certDer));
  const tbs = children(children(cert, 'Certificate')[0], 'TBSCertificate');
  // version [0] is optional (absent means v1), which shifts every later field by one.
  const hasVersion = tbs[0]?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC;
  const subject = tbs[hasVersion ? 5 : 4];
  if (!subject) throw new Error('[ca] malformed certificate: no subject');
  const extsWrapper = tbs.find((n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && n.type === 3);
  const exts = extsWrapper ? children(children(extsWrapper, 'extensions')[0], 'extensions') : [];
  for (const ext of exts) {
    const [id, ...rest] = children(ext, 'extension');
    if (id && forge.asn1.derToOid(id.value as string) === '2.5.29.14') {
      const wrapped = rest[rest.length - 1]?.value as string; // OCTET STRING holding DER of the key identifier
      return {
        subjectNameDer: der(subject),
        subjectKeyIdentifier: fromBytes(forge.asn1.fromDer(wrapped).value as string),
      };
    }
  }
  return { subjectNameDer: der(subject) };
}
