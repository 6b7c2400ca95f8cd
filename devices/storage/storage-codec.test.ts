import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord, type DecodeResult, type StoredRecord } from './storage-codec.ts';
import { DAY } from '#protocol';

const EXPECT = { kind: 'smart', maxVersion: 3 };
const RECORD: StoredRecord = {
  kind: 'smart',
  version: 3,
  savedAt: 1_767_225_600_000,
  payload: {
    enabled: true,
    evalUsedMs: DAY,
    keyPem: '-----BEGIN PRIVATE KEY-----\nMIG…\n-----END PRIVATE KEY-----\n',
    note: 'é ✓',
  },
};
const SMALL: StoredRecord = { kind: 'smart', version: 1, savedAt: 0, payload: { n: 1 } };

/** Deterministic PRNG (xorshift32), FUZZ_SEED=<n> to replay another run. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}
const SEED = Number(process.env.FUZZ_SEED ?? 0x570a6e);

function framed(body: string | Buffer, format = '1'): Buffer {
  const bytes = Buffer.from(body);
  const digest = createHash('sha256').update(bytes).digest('hex');
  return Buffer.concat([Buffer.from(`LICLAB-STORE ${format} ${bytes.length} ${digest}\n`), bytes]);
}

function problem(result: DecodeResult): string {
  return result.ok ? 'ok' : result.problem;
}

/** Every failure's detail is one printable line, fit for a log message. */
function expectOneLine(result: DecodeResult): void {
  if (!result.ok) expect(result.detail).toMatch(/^[\x20-\x7e…]+$/);
}

describe('encodeRecord / decodeRecord', () => {
  it('round-trips a record, including non-ASCII text', () => {
    expect(decodeRecord(encodeRecord(RECORD), EXPECT)).toEqual({ ok: true, record: RECORD });
  });

  it('writes a header line with format, body length and SHA-256, then the JSON body', () => {
    const bytes = encodeRecord(SMALL);
    const body = '{"kind":"smart","version":1,"savedAt":0,"payload":{"n":1}}';
    expect(bytes.toString()).toBe(
      `LICLAB-STORE 1 ${body.length} ${createHash('sha256').update(body).digest('hex')}\n${body}`,
    );
  });

  it('accepts an older payload version (the device migrates it)', () => {
    expect(decodeRecord(encodeRecord({ ...RECORD, version: 1 }), EXPECT)).toMatchObject({
      ok: true,
      record: { version: 1 },
    });
  });

  it.each([
    ['missing', undefined, /no stored record/],
    ['truncated', Buffer.alloc(0), /empty \(0 bytes\)/],
    ['kind', encodeRecord({ ...RECORD, kind: 'traditional' }), /kind "traditional", expected "smart"/],
    [
      'version',
      encodeRecord({ ...RECORD, version: 4 }),
      /"smart" record version 4 is newer than this build reads \(3\)/,
    ],
    ['version', framed('{}', '2'), /storage format 2 is newer than this build reads \(1\)/],
    ['version', Buffer.from('LICLAB-STORE 7 some future header layout\n{}'), /storage format 7 is newer/],
    ['corrupt', framed('{}', '0'), /unknown storage format 0/],
    ['corrupt', Buffer.from('{"kind":"smart"}'), /no storage header: starts with "\{\\"kind\\"/],
    ['corrupt', Buffer.from('LICLAB-STORE 1 2 abc\n{}'), /bad storage header "LICLAB-STORE 1 2 abc"/],
    ['corrupt', Buffer.from(`LICLAB-STORE 1 02 ${'0'.repeat(64)}\n{}`), /bad storage header/],
    ['corrupt', Buffer.concat([encodeRecord(SMALL), Buffer.from('xx')]), /2 unexpected bytes after the 58-byte body/],
    ['corrupt', framed('{"kind":'), /body is not JSON: "/],
    ['corrupt', framed('[1]'), /not a JSON object/],
    ['corrupt', framed('null'), /not a JSON object/],
    ['corrupt', framed('{"version":1,"savedAt":0,"payload":1}'), /no kind/],
    ['corrupt', framed('{"kind":"smart","version":1.5,"savedAt":0,"payload":1}'), /no valid version/],
    ['corrupt', framed('{"kind":"smart","version":1,"savedAt":"now","payload":1}'), /no valid savedAt/],
    ['corrupt', framed('{"kind":"smart","version":1,"savedAt":0}'), /no payload/],
    [
      'checksum',
      Buffer.from(encodeRecord(SMALL).toString().replace('"n":1', '"n":2')),
      /SHA-256 of the 58-byte body does not match/,
    ],
  ])('names the problem: %s', (expected, bytes, detail) => {
    const result = decodeRecord(bytes, EXPECT);
    expect(result).toEqual({ ok: false, problem: expected, detail: expect.stringMatching(detail) });
    expectOneLine(result);
  });

  it('shows stored text in details as printable ASCII on one line', () => {
    expect(decodeRecord(Buffer.from('\x00\x1b[2J\r\nrm -rf'), EXPECT)).toEqual({
      ok: false,
      problem: 'corrupt',
      detail: 'bad storage header "\\u0000\\u001b[2J\\r"',
    });
    expect(decodeRecord(Buffer.from('\u00e9t\u00e9 \u2713'), EXPECT)).toEqual({
      ok: false,
      problem: 'corrupt',
      detail: 'no storage header: starts with "??t?? ???"',
    });
  });

  it('refuses records no decoder would accept', () => {
    expect(() => encodeRecord({ ...SMALL, kind: '' })).toThrow(new RangeError('record kind must not be empty'));
    expect(() => encodeRecord({ ...SMALL, version: -1 })).toThrow(
      new RangeError('record version -1 must be a non-negative integer'),
    );
    expect(() => encodeRecord({ ...SMALL, version: 1.5 })).toThrow(/record version 1.5/);
    expect(() => encodeRecord({ ...SMALL, savedAt: Number.NaN })).toThrow(
      new RangeError('record savedAt NaN must be a finite number (epoch ms)'),
    );
    expect(() => encodeRecord({ ...SMALL, payload: undefined })).toThrow(
      new RangeError('record payload must not be undefined'),
    );
  });
});

describe('decodeRecord fuzzing: it never throws and never accepts damaged bytes', () => {
  it('reads every truncation of a real record as truncated', () => {
    const bytes = encodeRecord(RECORD);
    for (let length = 1; length < bytes.length; length++) {
      const result = decodeRecord(bytes.subarray(0, length), EXPECT);
      expect([length, problem(result)]).toEqual([length, 'truncated']);
      expectOneLine(result);
    }
  });

  it('detects every single-bit flip of a small record; a flip in the body is a checksum failure', () => {
    const bytes = encodeRecord(SMALL);
    const bodyStart = bytes.indexOf(0x0a) + 1;
    const seen = new Set<string>();
    for (let at = 0; at < bytes.length; at++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = Buffer.from(bytes);
        flipped[at]! ^= 1 << bit;
        const result = decodeRecord(flipped, EXPECT);
        expect(result.ok, `byte ${at} bit ${bit}`).toBe(false);
        if (at >= bodyStart) expect([at, bit, problem(result)]).toEqual([at, bit, 'checksum']);
        expectOneLine(result);
        seen.add(problem(result));
      }
    }
    // Header flips land on every structural check (a format digit flipped up reads as a newer format).
    expect([...seen].sort()).toEqual(['checksum', 'corrupt', 'truncated', 'version']);
  });

  it('survives random bytes, random bytes behind a real header, and damaged real records', () => {
    const random = rng(SEED);
    const bytesOf = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
    const real = encodeRecord(RECORD);
    const header = real.subarray(0, real.indexOf(0x0a) + 1);
    for (let i = 0; i < 3_000; i++) {
      const noise = bytesOf(Math.floor(random() * 300));
      const damaged = Buffer.from(real);
      for (let n = 1 + Math.floor(random() * 4); n > 0; n--)
        damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
      const cases = [
        noise,
        Buffer.concat([header, noise]),
        framed(noise),
        damaged.equals(real) ? Buffer.from('x') : damaged,
      ];
      for (const bytes of cases) {
        const result = decodeRecord(bytes, EXPECT);
        expect(result.ok, `seed ${SEED} case ${i}: ${bytes.toString('hex')}`).toBe(false);
        expectOneLine(result);
      }
    }
  });
});
