/**
 * The BER subset SNMP uses (X.690, definite lengths, one-octet tags): TLV reading with bounds checks and
 * the INTEGER, unsigned and OBJECT IDENTIFIER contents. Anything outside it is a BerError, which the agent
 * counts as a malformed datagram.
 */

export class BerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BerError';
  }
}

export interface Tlv {
  tag: number;
  /** Offsets into the buffer: contents are `[start, end)`. */
  start: number;
  end: number;
}

/** The TLV at `offset`, which must end by `limit`. */
export function readTlv(buf: Uint8Array, offset: number, limit: number): Tlv {
  if (offset + 2 > limit) throw new BerError(`truncated TLV at ${offset}`);
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new BerError(`multi-octet tag at ${offset}`);
  let length = buf[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0) throw new BerError(`indefinite length at ${offset}`);
    if (octets > 4 || start + octets > limit) throw new BerError(`bad length at ${offset}`);
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + buf[start + i]!;
    start += octets;
  }
  const end = start + length;
  if (end > limit) throw new BerError(`TLV at ${offset} runs past its container`);
  return { tag, start, end };
}

/** The TLV at `offset` with tag `tag`. */
export function expectTlv(buf: Uint8Array, offset: number, limit: number, tag: number, what: string): Tlv {
  const tlv = readTlv(buf, offset, limit);
  if (tlv.tag !== tag) throw new BerError(`${what}: tag 0x${tlv.tag.toString(16)}, expected 0x${tag.toString(16)}`);
  return tlv;
}

/** Two's-complement INTEGER contents (up to 6 octets, beyond any SNMP integer). */
export function decodeInteger(buf: Uint8Array, { start, end }: Tlv): number {
  const n = end - start;
  if (n < 1 || n > 6) throw new BerError(`INTEGER of ${n} octets`);
  return Buffer.from(buf.buffer, buf.byteOffset + start, n).readIntBE(0, n);
}

/** Counter32, Gauge32, TimeTicks: unsigned 32-bit (5 octets when the top bit needs a leading zero). */
export function decodeUnsigned(buf: Uint8Array, tlv: Tlv): number {
  const value = decodeInteger(buf, tlv);
  if (value < 0 || value > 0xffffffff) throw new BerError(`unsigned value ${value} out of range`);
  return value;
}

export function decodeOid(buf: Uint8Array, { start, end }: Tlv): number[] {
  if (end === start) throw new BerError('empty OBJECT IDENTIFIER');
  const subs: number[] = [];
  let sub = 0;
  for (let i = start; i < end; i++) {
    const octet = buf[i]!;
    if (sub === 0 && octet === 0x80) throw new BerError('OBJECT IDENTIFIER subidentifier with leading 0x80');
    sub = sub * 128 + (octet & 0x7f);
    if (sub > 0xffffffff) throw new BerError('OBJECT IDENTIFIER arc above 2^32-1');
    if (!(octet & 0x80)) {
      subs.push(sub);
      sub = 0;
    }
  }
  if (buf[end - 1]! & 0x80) throw new BerError('truncated OBJECT IDENTIFIER');
  const first = subs[0]!;
  const x = first < 40 ? 0 : first < 80 ? 1 : 2;
  return [x, first - 40 * x, ...subs.slice(1)];
}

function lengthOctets(length: number): number[] {
  if (length < 0x80) return [length];
  const out: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) out.unshift(n % 256);
  return [0x80 | out.length, ...out];
}

/** Octets of a TLV whose contents are `length` octets long. */
export function tlvSize(length: number): number {
  return 1 + lengthOctets(length).length + length;
}

export function tlv(tag: number, contents: Uint8Array | readonly Uint8Array[]): Buffer {
  const body = contents instanceof Uint8Array ? contents : Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag, ...lengthOctets(body.length)]), body]);
}

/** Minimal two's-complement contents of `value` (a safe integer). */
export function integerContents(value: number): Buffer {
  const out: number[] = [];
  let n = BigInt(value);
  for (;;) {
    const octet = Number(BigInt.asUintN(8, n));
    out.unshift(octet);
    n >>= 8n;
    if ((n === 0n && !(octet & 0x80)) || (n === -1n && octet & 0x80)) return Buffer.from(out);
  }
}

export function oidContents(arcs: readonly number[]): Buffer {
  const [x = 0, y = 0, ...rest] = arcs;
  const out: number[] = [];
  for (const sub of [x * 40 + y, ...rest]) {
    const septets: number[] = [];
    for (let n = sub; ; n = Math.floor(n / 128)) {
      septets.unshift((n % 128) | (septets.length ? 0x80 : 0));
      if (n < 128) break;
    }
    out.push(...septets);
  }
  return Buffer.from(out);
}
