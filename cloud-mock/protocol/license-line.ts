/**
 * License lines (traditional CSL licensing): an atomic, tamper-evident ASCII record for one feature,
 * node-locked to a UDI and signed by the portal's license signing key (Ed25519). A line holds everything
 * needed to validate it alone (MIB-543 "license line"; traditional-licensing-snmp-platforms.md §A.1, §A.7).
 * Cisco's own grammar is unpublished (Sentinel RMS heritage is an inference), so this one is the lab's:
 * cloud-mock/README.md, "License files", documents it for device-side readers; license-file.ts frames lines
 * into files. Parsing never throws on input: a refusal is a LicenseFileError result naming the line.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { licenseKeyId } from './license-key.ts';

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

/** Result constructors, shared by the readers of license documents. */
export const licenseOk = <T>(value: T): LicenseResult<T> => ({ ok: true, value });
export const licenseError = (code: LicenseFileErrorCode, message: string, line?: number): LicenseResult<never> => ({
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

const FEATURE_RE = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/;
export const PID_RE = /^[A-Za-z0-9][A-Za-z0-9/_.+-]{0,63}$/;
export const SN_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
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

/**
 * `name=value` fields of a space-separated line after its tag, in exactly this order (one order makes every
 * document canonical: the bytes signed are the bytes read); `problem` names the first misfit.
 */
export function readOrderedFields(
  text: string,
  tag: string,
  names: readonly string[],
): { fields: Record<string, string> } | { problem: string } {
  const parts = text.split(' ');
  if (parts[0] !== tag) return { problem: `the line must start with "${tag} "` };
  if (parts.length !== names.length + 1)
    return { problem: `a ${tag} line has ${names.length + 1} fields here, this one ${parts.length}` };
  const out: Record<string, string> = {};
  for (const [n, name] of names.entries()) {
    const part = parts[n + 1]!;
    if (!part.startsWith(`${name}=`))
      return { problem: `field ${n + 1} must be ${name}=…, got "${part.slice(0, 24)}"` };
    out[name] = part.slice(name.length + 1);
  }
  return { fields: out };
}

/** Reads the unsigned part field by field, in order; `problem` names the first bad field. */
function readFields(unsigned: string): Omit<LicenseLine, 'text'> | { problem: string } {
  const read = readOrderedFields(unsigned, LICENSE_LINE_TAG, FIELD_ORDER);
  if ('problem' in read) return read;
  const v = read.fields;
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
  if (text.length > MAX_LINE_CHARS)
    return licenseError('MALFORMED_LINE', `line is over ${MAX_LINE_CHARS} characters`, lineNo);
  const at = text.lastIndexOf(' sig=');
  if (at < 0) return licenseError('MALFORMED_LINE', 'license line has no signature (sig=)', lineNo);
  const unsigned = text.slice(0, at);
  const sig = text.slice(at + 5);
  const fields = readFields(unsigned);
  if ('problem' in fields) return licenseError('MALFORMED_LINE', fields.problem, lineNo);
  if (!SIG_RE.test(sig)) return licenseError('MALFORMED_LINE', 'sig= is not a base64url signature', lineNo);
  const key = trust.keys.get(fields.keyId);
  if (!key)
    return licenseError(
      'BAD_SIGNATURE',
      `feature ${fields.feature}: signed by key ${fields.keyId}, which is not a trusted license signing key`,
      lineNo,
    );
  if (!verifyText(unsigned, sig, key))
    return licenseError(
      'BAD_SIGNATURE',
      `feature ${fields.feature}: the signature does not verify (line altered)`,
      lineNo,
    );
  return licenseOk({ ...fields, text });
}
