/**
 * SNMPv1/v2c messages (RFC 1157, RFC 3416): `SEQUENCE { version, community, PDU }` with the PDU
 * `[tag] { request-id, error-status, error-index, SEQUENCE OF { name, value } }` (GetBulk reads the two
 * middle integers as non-repeaters and max-repetitions). Decoding checks every length; a message is
 * encoded from varbinds already encoded, so an agent can measure and trim a response before sending it.
 */
import type { MibValueType } from '#devices';
import {
  BerError,
  decodeInteger,
  decodeOid,
  decodeUnsigned,
  expectTlv,
  integerContents,
  oidContents,
  readTlv,
  tlv,
  tlvSize,
} from './ber.ts';

export const PDU = { get: 0xa0, getNext: 0xa1, response: 0xa2, set: 0xa3, getBulk: 0xa5 } as const;
export type PduType = (typeof PDU)[keyof typeof PDU];

export const VERSION_1 = 0;
export const VERSION_2C = 1;

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const OCTET_STRING = 0x04;
const NULL = 0x05;
const OID = 0x06;

const VALUE_TAGS = {
  Integer: INTEGER,
  OctetString: OCTET_STRING,
  ObjectIdentifier: OID,
  IpAddress: 0x40,
  Counter32: 0x41,
  Gauge32: 0x42,
  Unsigned32: 0x42,
  TimeTicks: 0x43,
} as const satisfies Record<MibValueType, number>;

const EXCEPTION_TAGS = { noSuchObject: 0x80, noSuchInstance: 0x81, endOfMibView: 0x82 } as const;
export type SnmpException = keyof typeof EXCEPTION_TAGS;

export type SnmpValue =
  | { type: 'Null' }
  | { type: SnmpException }
  /** OctetString as octets; ObjectIdentifier and IpAddress dotted; the rest numbers. */
  | { type: MibValueType; value: number | string | Uint8Array }
  /** Any other tag (Opaque, Counter64 in a SET): kept whole to echo back. */
  | { type: 'Other'; tag: number; contents: Uint8Array };

export interface Varbind {
  oid: readonly number[];
  value: SnmpValue;
}

export interface PduHeader {
  type: PduType;
  requestId: number;
  /** GetBulk: non-repeaters. */
  errorStatus: number;
  /** GetBulk: max-repetitions. */
  errorIndex: number;
}

export interface SnmpMessage {
  version: typeof VERSION_1 | typeof VERSION_2C;
  community: Uint8Array;
  pdu: PduHeader & { varbinds: readonly Varbind[] };
}

const PDU_TYPES = new Set<number>(Object.values(PDU));
const BY_TAG = new Map<number, MibValueType>(
  (Object.entries(VALUE_TAGS) as [MibValueType, number][]).filter(([t]) => t !== 'Unsigned32').map(([t, n]) => [n, t]),
);

function decodeValue(buf: Uint8Array, offset: number, limit: number): SnmpValue {
  const v = readTlv(buf, offset, limit);
  if (v.end !== limit) throw new BerError('trailing octets in a varbind');
  const type = BY_TAG.get(v.tag);
  const contents = buf.subarray(v.start, v.end);
  switch (type) {
    case 'Integer':
      return { type, value: decodeInteger(buf, v) };
    case 'OctetString':
      return { type, value: contents };
    case 'ObjectIdentifier':
      return { type, value: decodeOid(buf, v).join('.') };
    case 'IpAddress':
      if (contents.length !== 4) throw new BerError('IpAddress of other than 4 octets');
      return { type, value: [...contents].join('.') };
    case 'Counter32':
    case 'Gauge32':
    case 'TimeTicks':
      return { type, value: decodeUnsigned(buf, v) };
    case undefined:
      break;
  }
  if (v.tag === NULL) return { type: 'Null' };
  const exception = (Object.keys(EXCEPTION_TAGS) as SnmpException[]).find((k) => EXCEPTION_TAGS[k] === v.tag);
  return exception ? { type: exception } : { type: 'Other', tag: v.tag, contents };
}

/** One datagram as an SNMPv1/v2c message; throws BerError on anything else (SNMPv3 included). */
export function decodeMessage(buf: Uint8Array): SnmpMessage {
  const message = expectTlv(buf, 0, buf.length, SEQUENCE, 'message');
  if (message.end !== buf.length) throw new BerError('octets after the message');
  const versionTlv = expectTlv(buf, message.start, message.end, INTEGER, 'version');
  const version = decodeInteger(buf, versionTlv);
  if (version !== VERSION_1 && version !== VERSION_2C) throw new BerError(`SNMP version ${version} not served`);
  const communityTlv = expectTlv(buf, versionTlv.end, message.end, OCTET_STRING, 'community');
  const pdu = readTlv(buf, communityTlv.end, message.end);
  if (!PDU_TYPES.has(pdu.tag)) throw new BerError(`PDU tag 0x${pdu.tag.toString(16)}`);
  if (pdu.end !== message.end) throw new BerError('octets after the PDU');
  if (pdu.tag === PDU.getBulk && version === VERSION_1) throw new BerError('GetBulk in an SNMPv1 message');
  const ints: number[] = [];
  let at = pdu.start;
  for (const what of ['request-id', 'error-status', 'error-index']) {
    const t = expectTlv(buf, at, pdu.end, INTEGER, what);
    ints.push(decodeInteger(buf, t));
    at = t.end;
  }
  const list = expectTlv(buf, at, pdu.end, SEQUENCE, 'varbind list');
  if (list.end !== pdu.end) throw new BerError('octets after the varbind list');
  const varbinds: Varbind[] = [];
  for (let v = list.start; v < list.end;) {
    const vb = expectTlv(buf, v, list.end, SEQUENCE, 'varbind');
    const name = expectTlv(buf, vb.start, vb.end, OID, 'varbind name');
    varbinds.push({ oid: decodeOid(buf, name), value: decodeValue(buf, name.end, vb.end) });
    v = vb.end;
  }
  const [requestId, errorStatus, errorIndex] = ints as [number, number, number];
  return {
    version,
    community: buf.subarray(communityTlv.start, communityTlv.end),
    pdu: { type: pdu.tag as PduType, requestId, errorStatus, errorIndex, varbinds },
  };
}

function unsignedContents(value: number): Buffer {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`unsigned ${value}`);
  return integerContents(value);
}

function valueTlv(value: SnmpValue): Buffer {
  switch (value.type) {
    case 'Null':
      return tlv(NULL, []);
    case 'noSuchObject':
    case 'noSuchInstance':
    case 'endOfMibView':
      return tlv(EXCEPTION_TAGS[value.type], []);
    case 'Other':
      return tlv(value.tag, value.contents);
  }
  const tag = VALUE_TAGS[value.type];
  const v = value.value;
  switch (value.type) {
    case 'Integer':
      return tlv(tag, integerContents(v as number));
    case 'OctetString':
      return tlv(tag, typeof v === 'string' ? Buffer.from(v, 'utf8') : (v as Uint8Array));
    case 'ObjectIdentifier':
      return tlv(tag, oidContents(String(v).split('.').map(Number)));
    case 'IpAddress':
      return tlv(tag, Buffer.from(String(v).split('.').map(Number)));
    default:
      return tlv(tag, unsignedContents(v as number));
  }
}

export function encodeVarbind(varbind: Varbind): Buffer {
  return tlv(SEQUENCE, [tlv(OID, oidContents(varbind.oid)), valueTlv(varbind.value)]);
}

type Envelope = Omit<SnmpMessage, 'pdu'> & { pdu: PduHeader };

function headerParts(m: Envelope): { head: Buffer; pduHead: Buffer } {
  const { requestId, errorStatus, errorIndex } = m.pdu;
  return {
    head: Buffer.concat([tlv(INTEGER, integerContents(m.version)), tlv(OCTET_STRING, m.community)]),
    pduHead: Buffer.concat([requestId, errorStatus, errorIndex].map((n) => tlv(INTEGER, integerContents(n)))),
  };
}

/** The size of `m` with varbinds totalling `varbindOctets` encoded octets. */
export function messageSize(m: Envelope, varbindOctets: number): number {
  const { head, pduHead } = headerParts(m);
  return tlvSize(head.length + tlvSize(pduHead.length + tlvSize(varbindOctets)));
}

/** `m` around varbinds already encoded with encodeVarbind(). */
export function assembleMessage(m: Envelope, varbinds: readonly Buffer[]): Buffer {
  const { head, pduHead } = headerParts(m);
  return tlv(SEQUENCE, [head, tlv(m.pdu.type, [pduHead, tlv(SEQUENCE, varbinds)])]);
}

export function encodeMessage(m: SnmpMessage): Buffer {
  return assembleMessage(m, m.pdu.varbinds.map(encodeVarbind));
}
