/**
 * Traditional (CSL) license files as the portal issues them and devices install them: a human-readable
 * part (`#` comments) and license lines, each an atomic, tamper-evident ASCII record for one feature,
 * node-locked to a UDI and signed by the portal's license signing key (Ed25519). A line holds everything
 * needed to validate it alone (MIB-543 "license line"; traditional-licensing-snmp-platforms.md §A.1, §A.7).
 * Cisco's own grammar is unpublished (Sentinel RMS heritage is an inference), so this one is the lab's:
 * cloud-mock/README.md, "License files", documents it for device-side readers.
 *
 * Parsing never throws on input: every refusal is a LicenseFileError result with a code and the line
 * number, and the size limits are checked before any byte is looked at.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { licenseKeyId } from './license-key.ts';

/** Files over this are refused before parsing (a 50 MB upload costs one length check). */
export const MAX_LICENSE_FILE_BYTES = 1024 * 1024;
/** License lines per file; a device holds a few dozen at most. */
export const MAX_LICENSE_LINES = 256;
/** Characters per text line (a license line is ~330). */
export const MAX_LINE_CHARS = 1024;

/** clmgmtLicenseType of CISCO-LICENSE-MGMT-MIB, by name and value (§A.2). */
export const licenseTypes = {
  demo: 1,
  extension: 2,
  gracePeriod: 3,
  permanent: 4,
  paidSubscription: 5,
  evaluationSubscription: 6,
  extensionSubscription: 7,
  evalRightToUse: 8,
  rightToUse: 9,
  permanentRightToUse: 10,
} as const;
export type LicenseLineType = keyof typeof licenseTypes;

/** Metered: a usage period counted on the system clock while in use (§A.1). */
export const meteredTypes: readonly LicenseLineType[] = ['demo', 'extension', 'gracePeriod', 'evalRightToUse'];
/** Calendar-based: valid from start to end date (§A.2). */
export const subscriptionTypes: readonly LicenseLineType[] = [
  'paidSubscription',
  'evaluationSubscription',
  'extensionSubscription',
];

/** `license modify priority` choices; `show license` prints them capitalised. */
export type LicensePriority = 'high' | 'medium' | 'low';

/** Value of pid/sn on a non-node-locked line (the built-in licenses print `<PID>NOTLOCKED</PID>`). */
export const NOT_LOCKED = 'NOTLOCKED';

export interface LicenseFields {
  /** The portal's license id: 16 hex digits, unique per issued line (a device spots a reinstall by it). */
  id: string;
  feature: string;
  /** Feature version, `1.0` in every capture. */
  version: string;
  type: LicenseLineType;
  /** null: not node-locked. */
  udi: { pid: string; sn: string } | null;
  /** null: uncounted (`Non-Counted`). */
  count: number | null;
  priority: LicensePriority;
  /** Metered types: the usage period in seconds. */
  periodSeconds: number | null;
  /** Subscriptions: calendar validity, epoch ms (whole seconds). */
  startAt: number | null;
  endAt: number | null;
  issuedAt: number;
}

export interface LicenseLine extends LicenseFields {
  issuer: string;
  /** Which signing key: hex, licenseKeyId() of its public key. */
  keyId: string;
  /** The exact line as signed and stored. */
  text: string;
}

/** What the portal signs with: ca/license-signing-key.ts; the private key never leaves it. */
export interface LicenseSigner {
  readonly issuer: string;
  readonly keyId: string;
  /** base64url signature of the UTF-8 bytes. */
  sign(text: string): string;
}

export type LicenseFileErrorCode =
  'TOO_LARGE' | 'NOT_TEXT' | 'EMPTY' | 'TRUNCATED' | 'MALFORMED_LINE' | 'BAD_SIGNATURE' | 'FOREIGN_UDI';

export interface LicenseFileError {
  code: LicenseFileErrorCode;
  /** 1-based line of the file, when one line is to blame. */
  line?: number;
  message: string;
}

export type LicenseResult<T> = { ok: true; value: T } | { ok: false; error: LicenseFileError };

const ok = <T>(value: T): LicenseResult<T> => ({ ok: true, value });
const err = (code: LicenseFileErrorCode, message: string, line?: number): LicenseResult<never> => ({
  ok: false,
  error: { code, message, ...(line === undefined ? {} : { line }) },
});

/** The public keys a device trusts, by key id. */
export interface LicenseTrust {
  readonly keys: ReadonlyMap<string, KeyObject>;
}

/** PEM or KeyObject public keys (Ed25519 or ECDSA) a device is given; the key ids are computed once. */
export function createLicenseTrust(keys: readonly (KeyObject | string)[]): LicenseTrust {
  const map = new Map<string, KeyObject>();
  for (const k of keys) {
    const key = typeof k === 'string' ? createPublicKey(k) : k;
    map.set(licenseKeyId(key), key);
  }
  return { keys: map };
}

// ---------------------------------------------------------------------------------------------- line grammar

export const LICENSE_LINE_TAG = 'LIC';
export const LICENSE_FORMAT_VERSION = '1';
export const FILE_HEADER = `LICENSE-FILE v=${LICENSE_FORMAT_VERSION}`;

const FEATURE_RE = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/;
const PID_RE = /^[A-Za-z0-9][A-Za-z0-9/_.+-]{0,63}$/;
const SN_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const ISSUER_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const NONE = 'none';
/** base64url of a 64-byte Ed25519 signature is 86 characters; ECDSA DER is 70–72 bytes. */
const SIG_RE = /^[A-Za-z0-9_-]{86,96}$/;

/** Field names in their one order; the value grammar of each is checked in readFields. */
const FIELD_ORDER = [
  'v',
  'id',
  'feature',
  'version',
  'type',
  'pid',
  'sn',
  'count',
  'priority',
  'period',
  'start',
  'end',
  'issued',
  'issuer',
  'kid',
] as const;

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function timeOrNone(ms: number | null): string {
  return ms === null ? NONE : isoSeconds(ms);
}

/** The signed part of a line: everything before ` sig=`. Throws on fields no parser would accept (a portal bug). */
function unsignedText(f: LicenseFields, issuer: string, keyId: string): string {
  const values: Record<(typeof FIELD_ORDER)[number], string> = {
    v: LICENSE_FORMAT_VERSION,
    id: f.id,
    feature: f.feature,
    version: f.version,
    type: f.type,
    pid: f.udi?.pid ?? NOT_LOCKED,
    sn: f.udi?.sn ?? NOT_LOCKED,
    count: f.count === null ? 'uncounted' : String(f.count),
    priority: f.priority,
    period: f.periodSeconds === null ? NONE : String(f.periodSeconds),
    start: timeOrNone(f.startAt),
    end: timeOrNone(f.endAt),
    issued: isoSeconds(f.issuedAt),
    issuer,
    kid: keyId,
  };
  const text = `${LICENSE_LINE_TAG} ${FIELD_ORDER.map((k) => `${k}=${values[k]}`).join(' ')}`;
  const checked = readFields(text);
  if ('problem' in checked) throw new Error(`[license-file] cannot format license line: ${checked.problem}`);
  return text;
}

/** A signed license line (no newline). */
export function formatLicenseLine(fields: LicenseFields, signer: LicenseSigner): string {
  const text = unsignedText(fields, signer.issuer, signer.keyId);
  return `${text} sig=${signer.sign(text)}`;
}

function parseTime(v: string): number | null | undefined {
  if (v === NONE) return null;
  if (!TIME_RE.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isFinite(ms) && isoSeconds(ms) === v ? ms : undefined;
}

/** Reads the unsigned part field by field, in order; `problem` names the first bad field. */
function readFields(unsigned: string): Omit<LicenseLine, 'text'> | { problem: string } {
  const parts = unsigned.split(' ');
  if (parts[0] !== LICENSE_LINE_TAG) return { problem: `a license line starts with "${LICENSE_LINE_TAG} "` };
  if (parts.length !== FIELD_ORDER.length + 1)
    return { problem: `a license line has ${FIELD_ORDER.length + 1} fields before sig=, this one ${parts.length}` };
  const v: Record<string, string> = {};
  for (const [i, name] of FIELD_ORDER.entries()) {
    const part = parts[i + 1]!;
    if (!part.startsWith(`${name}=`))
      return { problem: `field ${i + 1} must be ${name}=…, got "${part.slice(0, 24)}"` };
    v[name] = part.slice(name.length + 1);
  }
  if (v.v !== LICENSE_FORMAT_VERSION) return { problem: `format version v=${v.v} is not ${LICENSE_FORMAT_VERSION}` };
  if (!/^[0-9a-f]{16}$/.test(v.id!)) return { problem: 'id must be 16 lower-case hex digits' };
  if (!FEATURE_RE.test(v.feature!)) return { problem: `feature "${v.feature!.slice(0, 24)}" is not a feature name` };
  if (!/^\d{1,3}\.\d{1,3}$/.test(v.version!)) return { problem: `version "${v.version}" is not like 1.0` };
  if (!Object.hasOwn(licenseTypes, v.type!))
    return { problem: `type "${v.type!.slice(0, 24)}" is not one of ${Object.keys(licenseTypes).join(', ')}` };
  const type = v.type as LicenseLineType;
  const locked = v.pid !== NOT_LOCKED || v.sn !== NOT_LOCKED;
  if (locked && (!PID_RE.test(v.pid!) || !SN_RE.test(v.sn!) || v.pid === NOT_LOCKED || v.sn === NOT_LOCKED))
    return { problem: 'pid and sn must both name a device, or both be NOTLOCKED' };
  if (!locked && !['demo', 'evalRightToUse'].includes(type))
    return { problem: `a ${type} license is node-locked: pid and sn are required` };
  let count: number | null = null;
  if (v.count !== 'uncounted') {
    if (!/^[1-9]\d{0,6}$/.test(v.count!)) return { problem: 'count must be "uncounted" or 1–9999999' };
    count = Number(v.count);
  }
  if (!['high', 'medium', 'low'].includes(v.priority!)) return { problem: 'priority must be high, medium or low' };
  const metered = meteredTypes.includes(type);
  let periodSeconds: number | null = null;
  if (v.period !== NONE) {
    if (!/^[1-9]\d{0,9}$/.test(v.period!)) return { problem: 'period must be "none" or whole seconds' };
    periodSeconds = Number(v.period);
  }
  if (metered !== (periodSeconds !== null))
    return { problem: metered ? `a ${type} license needs a usage period` : `a ${type} license has no usage period` };
  const startAt = parseTime(v.start!);
  const endAt = parseTime(v.end!);
  const issuedAt = parseTime(v.issued!);
  if (startAt === undefined || endAt === undefined || issuedAt === undefined || issuedAt === null)
    return { problem: 'start and end must be ISO times to the second (UTC, Z) or none; issued an ISO time' };
  const subscription = subscriptionTypes.includes(type);
  if (subscription !== (startAt !== null && endAt !== null) || (!subscription && (startAt ?? endAt) !== null))
    return { problem: subscription ? `a ${type} needs start and end` : `a ${type} license has no start or end` };
  if (startAt !== null && endAt !== null && endAt <= startAt) return { problem: 'end must be after start' };
  if (!ISSUER_RE.test(v.issuer!)) return { problem: 'issuer is not a name' };
  if (!/^[0-9a-f]{32}$/.test(v.kid!)) return { problem: 'kid must be 32 lower-case hex digits' };
  return {
    id: v.id!,
    feature: v.feature!,
    version: v.version!,
    type,
    udi: locked ? { pid: v.pid!, sn: v.sn! } : null,
    count,
    priority: v.priority as LicensePriority,
    periodSeconds,
    startAt,
    endAt,
    issuedAt,
    issuer: v.issuer!,
    keyId: v.kid!,
  };
}

/** Ed25519 takes no digest; ECDSA keys (a device may be given one) use SHA-256. */
function verifyText(text: string, sigB64url: string, key: KeyObject): boolean {
  try {
    const digest = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
    return verify(digest, Buffer.from(text), key, Buffer.from(sigB64url, 'base64url'));
  } catch {
    return false;
  }
}

/**
 * One license line, checked alone: grammar, then the signature against the trusted key it names. `lineNo`
 * is only for the error's `line`. This is what a device runs on each stored line at boot too.
 */
export function parseLicenseLine(text: string, trust: LicenseTrust, lineNo?: number): LicenseResult<LicenseLine> {
  if (text.length > MAX_LINE_CHARS) return err('MALFORMED_LINE', `line is over ${MAX_LINE_CHARS} characters`, lineNo);
  const at = text.lastIndexOf(' sig=');
  if (at < 0) return err('MALFORMED_LINE', 'license line has no signature (sig=)', lineNo);
  const unsigned = text.slice(0, at);
  const sig = text.slice(at + 5);
  const fields = readFields(unsigned);
  if ('problem' in fields) return err('MALFORMED_LINE', fields.problem, lineNo);
  if (!SIG_RE.test(sig)) return err('MALFORMED_LINE', 'sig= is not a base64url signature', lineNo);
  const key = trust.keys.get(fields.keyId);
  if (!key)
    return err(
      'BAD_SIGNATURE',
      `feature ${fields.feature}: signed by key ${fields.keyId}, which is not a trusted license signing key`,
      lineNo,
    );
  if (!verifyText(unsigned, sig, key))
    return err('BAD_SIGNATURE', `feature ${fields.feature}: the signature does not verify (line altered)`, lineNo);
  return ok({ ...fields, text });
}

// ---------------------------------------------------------------------------------------------- files

export interface LicenseFile {
  /** The `#` lines without their `# `, in order. */
  comments: string[];
  lines: LicenseLine[];
}

/** A license file: comments, the header, the lines, and `END lines=<n>` (so a cut-off file is told apart). */
export function formatLicenseFile(lines: readonly string[], comments: readonly string[] = []): string {
  return `${[...comments.map((c) => `# ${c}`), FILE_HEADER, ...lines, `END lines=${lines.length}`].join('\n')}\n`;
}

export interface Envelope {
  comments: string[];
  /** The header line (first non-comment line). */
  header: string;
  items: { text: string; lineNo: number }[];
}

/**
 * The frame every portal document shares (license files, permission tickets): size and character checks
 * first, then comments, one header line, items, and the `END lines=<n>` trailer.
 */
export function readEnvelope(input: string | Uint8Array, what = 'license file'): LicenseResult<Envelope> {
  // String length counts UTF-16 units, never more than the UTF-8 bytes: a cheap first cut.
  if (input.length > MAX_LICENSE_FILE_BYTES)
    return err('TOO_LARGE', `${what} is ${input.length} bytes; at most ${MAX_LICENSE_FILE_BYTES}`);
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input);
  if (bytes.length > MAX_LICENSE_FILE_BYTES)
    return err('TOO_LARGE', `${what} is ${bytes.length} bytes; at most ${MAX_LICENSE_FILE_BYTES}`);
  // Printable ASCII, tab and line breaks only: a zip, a binary or a UTF-16 file stops here.
  const bad = bytes.findIndex((b) => (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b > 0x7e);
  if (bad >= 0) return err('NOT_TEXT', `${what} is not ASCII text (byte 0x${bytes[bad]!.toString(16)} at ${bad})`);
  const text = bytes.toString('latin1');
  if (text.trim() === '') return err('EMPTY', `${what} is empty`);
  const rows = text.split('\n');
  const comments: string[] = [];
  const items: Envelope['items'] = [];
  let header: string | undefined;
  for (const [i, raw] of rows.entries()) {
    const row = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const lineNo = i + 1;
    if (row.length > MAX_LINE_CHARS) return err('MALFORMED_LINE', `line is over ${MAX_LINE_CHARS} characters`, lineNo);
    if (row.trim() === '') continue;
    if (row.startsWith('#')) {
      if (header === undefined) comments.push(row.replace(/^# ?/, ''));
      continue;
    }
    if (header === undefined) {
      header = row;
      continue;
    }
    const end = /^END lines=(\d{1,4})$/.exec(row);
    if (end) {
      if (Number(end[1]) !== items.length)
        return err('TRUNCATED', `${what} says it holds ${end[1]} lines and holds ${items.length}`, lineNo);
      const after = rows.findIndex((r, j) => j > i && r.trim() !== '');
      if (after >= 0) return err('MALFORMED_LINE', `text after END`, after + 1);
      return ok({ comments, header, items });
    }
    if (items.length >= MAX_LICENSE_LINES)
      return err('TOO_LARGE', `${what} holds more than ${MAX_LICENSE_LINES} lines`, lineNo);
    items.push({ text: row, lineNo });
  }
  return err(
    'TRUNCATED',
    `${what} ends without its END line after ${items.length} line(s): it was cut off`,
    items.at(-1)?.lineNo,
  );
}

/**
 * A whole license file: every line must parse and verify, or the file is refused (a device installs
 * nothing from a file with one bad line). Whether the lines are for this device is `checkLicenseUdi`.
 */
export function parseLicenseFile(input: string | Uint8Array, trust: LicenseTrust): LicenseResult<LicenseFile> {
  const env = readEnvelope(input);
  if (!env.ok) return env;
  const { header, items, comments } = env.value;
  if (header !== FILE_HEADER)
    return err('MALFORMED_LINE', `the first line after the comments must be "${FILE_HEADER}"`);
  if (items.length === 0) return err('EMPTY', 'license file holds no license lines');
  const lines: LicenseLine[] = [];
  for (const item of items) {
    const line = parseLicenseLine(item.text, trust, item.lineNo);
    if (!line.ok) return line;
    lines.push(line.value);
  }
  return ok({ comments, lines });
}

/** True when the line is node-locked to this UDI (or not node-locked at all). */
export function isLicenseFor(line: LicenseFields, udi: { pid: string; sn: string }): boolean {
  return line.udi === null || (line.udi.pid === udi.pid && line.udi.sn === udi.sn);
}

/** The device's check after parsing: every line must be for its UDI, or the file is refused (FOREIGN_UDI). */
export function checkLicenseUdi(
  lines: readonly (LicenseFields & { text?: string })[],
  udi: { pid: string; sn: string },
): LicenseFileError | undefined {
  const foreign = lines.find((l) => !isLicenseFor(l, udi));
  if (!foreign) return undefined;
  return {
    code: 'FOREIGN_UDI',
    message: `feature ${foreign.feature} is locked to ${foreign.udi!.pid}:${foreign.udi!.sn}, not ${udi.pid}:${udi.sn}`,
  };
}

/** `<SN>_<YYYYMMDDhhmmss><ms>.lic`, the portal's file names (§A.7: FHH1216P07R_20090528163510702.lic). */
export function licenseFileName(sn: string, issuedAt: number): string {
  return `${sn}_${new Date(issuedAt).toISOString().replace(/[-:T.Z]/g, '')}.lic`;
}
