/**
 * The bytes of one stored record:
 *
 *   LICLAB-STORE 1 <body bytes> <sha256 of body, lowercase hex>\n
 *   {"kind":"smart","version":3,"savedAt":1767225600000,"payload":{…}}
 *
 * The header names the format version, so a newer build's file is refused by name, and the body's length
 * and digest, so a short file reads as truncated and any flipped bit as a checksum (or header) failure.
 * Every field of the header is canonical (no leading zeros, lowercase hex): one record has exactly one
 * encoding, so no bit flip can yield another valid record. `decodeRecord` never throws.
 */
import { createHash } from 'node:crypto';

export interface StoredRecord {
  /** What the payload is (`smart`, `traditional`…): a record of another kind is refused. */
  kind: string;
  /** The payload's own schema version: the device migrates older ones and refuses newer ones. */
  version: number;
  /** Lab time of the save, epoch ms. */
  savedAt: number;
  /** JSON-able; JSON.stringify's rules apply (undefined members dropped, NaN becomes null). */
  payload: unknown;
}

export type DecodeProblem = 'missing' | 'truncated' | 'corrupt' | 'checksum' | 'kind' | 'version';

export type DecodeResult =
  | { ok: true; record: StoredRecord }
  | { ok: false; problem: DecodeProblem; /** One line naming what is wrong, for the boot log. */ detail: string };

export interface DecodeExpectation {
  kind: string;
  maxVersion: number;
}

const MAGIC = 'LICLAB-STORE ';
const FORMAT = 1;
const NEWLINE = 0x0a;
/** Longer than any header this format writes (magic, 15-digit numbers, 64 hex digits). */
const MAX_HEADER = 128;
const HEADER = /^LICLAB-STORE (0|[1-9]\d{0,14}) (0|[1-9]\d{0,14}) ([0-9a-f]{64})$/;
/** What follows the magic in a header cut short anywhere. */
const HEADER_TAIL_PREFIX = /^(\d+( (\d+( [0-9a-f]{0,64})?)?)?)?$/;

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Throws a RangeError for records no decoder would accept: a programming error, not a storage one. */
export function encodeRecord(record: StoredRecord): Buffer {
  const { kind, version, savedAt, payload } = record;
  if (kind === '') throw new RangeError('record kind must not be empty');
  if (!Number.isSafeInteger(version) || version < 0)
    throw new RangeError(`record version ${version} must be a non-negative integer`);
  if (!Number.isFinite(savedAt)) throw new RangeError(`record savedAt ${savedAt} must be a finite number (epoch ms)`);
  if (payload === undefined) throw new RangeError('record payload must not be undefined');
  const body = Buffer.from(JSON.stringify({ kind, version, savedAt, payload }), 'utf8');
  return Buffer.concat([Buffer.from(`${MAGIC}${FORMAT} ${body.length} ${sha256(body)}\n`, 'latin1'), body]);
}

function fail(problem: DecodeProblem, detail: string): DecodeResult {
  return { ok: false, problem, detail };
}

/** Shown in details: printable ASCII only, never a line break from the stored bytes. */
function quote(value: string, max = 40): string {
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(shown).replace(/[^\x20-\x7e]/g, '?');
}

export function decodeRecord(bytes: Buffer | undefined, expect: DecodeExpectation): DecodeResult {
  if (bytes === undefined) return fail('missing', 'no stored record');
  if (bytes.length === 0) return fail('truncated', 'stored record is empty (0 bytes)');

  const end = bytes.subarray(0, MAX_HEADER + 1).indexOf(NEWLINE);
  if (end < 0) {
    const text = bytes.subarray(0, MAX_HEADER + 1).toString('latin1');
    const cutHeader =
      text.length <= MAX_HEADER &&
      (MAGIC.startsWith(text) || (text.startsWith(MAGIC) && HEADER_TAIL_PREFIX.test(text.slice(MAGIC.length))));
    return cutHeader
      ? fail('truncated', `stored record ends inside its header after ${bytes.length} bytes`)
      : fail('corrupt', `no storage header: starts with ${quote(text, 24)}`);
  }
  const header = bytes.subarray(0, end).toString('latin1');
  const match = HEADER.exec(header);
  if (!match) {
    const format = /^LICLAB-STORE ([1-9]\d{0,14}) /.exec(header);
    if (format && Number(format[1]) > FORMAT)
      return fail('version', `storage format ${format[1]} is newer than this build reads (${FORMAT})`);
    return fail('corrupt', `bad storage header ${quote(header)}`);
  }
  const format = Number(match[1]);
  if (format > FORMAT) return fail('version', `storage format ${format} is newer than this build reads (${FORMAT})`);
  if (format !== FORMAT) return fail('corrupt', `unknown storage format ${format} (this build reads ${FORMAT})`);

  const declared = Number(match[2]);
  const body = bytes.subarray(end + 1);
  if (body.length < declared) return fail('truncated', `stored record body has ${body.length} of ${declared} bytes`);
  if (body.length > declared)
    return fail('corrupt', `${body.length - declared} unexpected bytes after the ${declared}-byte body`);
  if (sha256(body) !== match[3])
    return fail('checksum', `SHA-256 of the ${declared}-byte body does not match its header`);

  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    return fail('corrupt', `body is not JSON: ${quote((err as Error).message, 80)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return fail('corrupt', 'body is not a JSON object');
  const { kind, version, savedAt, payload } = parsed as Record<string, unknown>;
  if (typeof kind !== 'string' || kind === '') return fail('corrupt', 'body has no kind');
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0)
    return fail('corrupt', 'body has no valid version');
  if (typeof savedAt !== 'number' || !Number.isFinite(savedAt)) return fail('corrupt', 'body has no valid savedAt');
  if (payload === undefined) return fail('corrupt', 'body has no payload');
  if (kind !== expect.kind)
    return fail('kind', `stored record is of kind ${quote(kind)}, expected ${quote(expect.kind)}`);
  if (version > expect.maxVersion)
    return fail(
      'version',
      `${quote(kind)} record version ${version} is newer than this build reads (${expect.maxVersion})`,
    );
  return { ok: true, record: { kind, version, savedAt, payload } };
}
