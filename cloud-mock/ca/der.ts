/**
 * Small DER building blocks for the X.509 builder: names, times, serials, IP addresses.
 *
 * node-forge is used here only as an ASN.1/DER toolkit (`forge.asn1`, `forge.pki.distinguishedNameToAsn1`);
 * all key and signature work stays in node:crypto (see x509-builder.ts for why). forge represents bytes as
 * "binary strings" (one char per byte), so `toBytes`/`fromBytes` convert at the edges.
 */
import { isIPv4, isIPv6 } from 'node:net';
import forge from 'node-forge';

const { asn1 } = forge;
export type Asn1 = forge.asn1.Asn1;

export const UNIVERSAL = asn1.Class.UNIVERSAL;
export const T = asn1.Type;

export const toBytes = (buf: Uint8Array): string => Buffer.from(buf).toString('binary');
export const fromBytes = (bytes: string): Buffer => Buffer.from(bytes, 'binary');
export const der = (node: Asn1): Buffer => fromBytes(asn1.toDer(node).getBytes());

export const seq = (items: Asn1[]): Asn1 => asn1.create(UNIVERSAL, T.SEQUENCE, true, items);
export const oid = (dotted: string): Asn1 => asn1.create(UNIVERSAL, T.OID, false, asn1.oidToDer(dotted).getBytes());
export const octets = (bytes: string): Asn1 => asn1.create(UNIVERSAL, T.OCTETSTRING, false, bytes);
export const bool = (value: boolean): Asn1 => asn1.create(UNIVERSAL, T.BOOLEAN, false, value ? '\xff' : '\x00');
/** BIT STRING with whole bytes (signatures, keys): the leading octet counts unused bits, here 0. */
export const bits = (bytes: string, unused = 0): Asn1 =>
  asn1.create(UNIVERSAL, T.BITSTRING, false, String.fromCharCode(unused) + bytes);
/** Context-specific tag [n]: explicit wrappers are constructed, implicit primitives carry raw bytes. */
export const ctx = (tag: number, value: Asn1[] | string): Asn1 =>
  asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag as forge.asn1.Type, Array.isArray(value), value);

export function smallInt(n: number): Asn1 {
  return asn1.create(UNIVERSAL, T.INTEGER, false, asn1.integerToDer(n).getBytes());
}

/**
 * Normalises a serial to the positive DER INTEGER it encodes. RFC 5280 4.1.2.2: positive, at most 20 octets.
 * Returns the lower-case hex of the value without leading zero bytes (what `X509Certificate.serialNumber`
 * shows, upper-cased) and the INTEGER node (a 00 pad is added when the top bit is set, so it stays positive).
 */
export function serialInteger(serialHex: string): { hex: string; node: Asn1 } {
  const clean = serialHex.trim().replace(/^0x/i, '');
  if (!/^[0-9a-f]+$/i.test(clean)) throw new Error(`[ca] serial "${serialHex}" is not hexadecimal`);
  let hex = (clean.length % 2 ? '0' : '') + clean.toLowerCase();
  while (hex.startsWith('00') && hex.length > 2) hex = hex.slice(2);
  if (/^0+$/.test(hex)) throw new Error(`[ca] serial "${serialHex}" must be positive (RFC 5280 4.1.2.2)`);
  if (hex.length > 40) throw new Error(`[ca] serial "${serialHex}" is longer than 20 octets (RFC 5280 4.1.2.2)`);
  const content = Buffer.from(hex, 'hex');
  const padded = (content[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.of(0), content]) : content;
  return { hex, node: asn1.create(UNIVERSAL, T.INTEGER, false, toBytes(padded)) };
}

/** RFC 5280 4.1.2.5: UTCTime for 1950-2049, GeneralizedTime otherwise. Seconds precision (ms are dropped). */
export function timeNode(epochMs: number): Asn1 {
  if (!Number.isFinite(epochMs)) throw new Error(`[ca] certificate time ${epochMs} is not a finite epoch-ms number`);
  const date = new Date(epochMs);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new Error(`[ca] certificate time ${epochMs} is outside years 0000-9999`);
  return year >= 1950 && year < 2050
    ? asn1.create(UNIVERSAL, T.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(UNIVERSAL, T.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date).padStart(15, '0'));
}

/** A distinguished name: ordered attributes, or a record written in the conventional C, ST, L, O, OU, CN order. */
export type NameAttribute = { shortName?: string; type?: string; value: string };
export type NameRecord = Partial<Record<'C' | 'ST' | 'L' | 'O' | 'OU' | 'CN' | 'serialNumber', string>>;
export type DistinguishedName = readonly NameAttribute[] | NameRecord;

const RECORD_ORDER = ['C', 'ST', 'L', 'O', 'OU', 'CN', 'serialNumber'] as const;
const SHORT_NAMES: Record<string, string> = {
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  serialNumber: '2.5.4.5',
};

export function nameNode(name: DistinguishedName): Asn1 {
  const attrs: NameAttribute[] = Array.isArray(name)
    ? [...(name as readonly NameAttribute[])]
    : RECORD_ORDER.flatMap((k) =>
        (name as NameRecord)[k] === undefined ? [] : [{ shortName: k, value: (name as NameRecord)[k] as string }],
      );
  return forge.pki.distinguishedNameToAsn1({
    attributes: attrs.map((a) => {
      const type = a.type ?? (a.shortName === undefined ? undefined : SHORT_NAMES[a.shortName]);
      if (type === undefined) {
        throw new Error(
          `[ca] name attribute ${JSON.stringify(a)} needs a type OID or one of the short names ${Object.keys(SHORT_NAMES).join(', ')}`,
        );
      }
      // countryName and serialNumber are PrintableString by definition (X.520); everything else UTF8String, so
      // hostnames with "_" and non-ASCII organisation names encode correctly (forge UTF-8 encodes the value).
      const printable = type === '2.5.4.6' || type === '2.5.4.5';
      return {
        type,
        value: a.value,
        valueTagClass: (printable ? T.PRINTABLESTRING : T.UTF8) as unknown as forge.asn1.Class,
      };
    }),
  });
}

/** iPAddress GeneralName content: 4 octets for IPv4, 16 for IPv6 (RFC 5280 4.2.1.6). */
export function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  const bare = ip.replace(/%.*$/, ''); // drop a zone id such as %eth0
  if (!isIPv6(bare)) throw new Error(`[ca] "${ip}" is not an IPv4 or IPv6 address`);
  let text = bare;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (v4 !== undefined) {
    const b = v4.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -v4.length) + `${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** The children of a constructed node (forge types `value` as bytes or children). */
export function children(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || !Array.isArray(node.value))
    throw new Error(`[ca] malformed certificate: ${what} is not a constructed ASN.1 value`);
  return node.value;
}
