/**
 * Signing, checking and filing SLP documents (slp.ts): the cloud signs with the portal's license key, a
 * device checks against the keys it trusts (LicenseTrust), and files hold one `<smartLicense>` with one
 * element per document, its JSON in CDATA, as RUM report files do (smart-licensing.md §10.3).
 * Nothing here throws on input: every failure is a reason a device can print.
 */
import type { KeyObject } from 'node:crypto';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { TSchema, Static } from '@sinclair/typebox';
import { licenseKeyId } from './license-key.ts';
import { ReservationPayload } from './reservation.ts';
import type { LicenseTrust } from './license-line.ts';
import { publicKeyFromSpki, signBytes, verifyBytes } from './signing.ts';
import {
  AckPayload,
  pollIdJson,
  PolicyPayload,
  RUM_SAMPLE_INTERVAL_S,
  RumPayload,
  RumReport,
  SignedDocument,
  SlacPayload,
  TrustCodePayload,
  type DocumentKind,
  type Sudi,
} from './slp.ts';

export type SlpResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const payloadSchemas = {
  RUM_ACK: AckPayload,
  POLICY: PolicyPayload,
  TRUST_CODE: TrustCodePayload,
  SLAC: SlacPayload,
  RESERVATION: ReservationPayload,
} as const satisfies Partial<Record<DocumentKind, TSchema>>;
type PayloadKind = keyof typeof payloadSchemas;
export type PayloadOf<K extends PayloadKind> = Static<(typeof payloadSchemas)[K]>;

const checkPayload = Object.fromEntries(
  Object.entries(payloadSchemas).map(([k, s]) => [k, TypeCompiler.Compile(s)]),
) as { [K in PayloadKind]: ReturnType<typeof TypeCompiler.Compile<(typeof payloadSchemas)[K]>> };
const checkDocument = TypeCompiler.Compile(SignedDocument);
const checkReport = TypeCompiler.Compile(RumReport);

export function signDocument(
  kind: DocumentKind,
  payload: object,
  key: KeyObject,
  publicKey: KeyObject,
): SignedDocument {
  const text = JSON.stringify(payload);
  return { kind, payload: text, signature: signBytes(text, key), kid: licenseKeyId(publicKey) };
}

/** A document of `kind`, signed by a trusted key, whose payload has the kind's shape. */
export function openDocument<K extends PayloadKind>(
  document: unknown,
  kind: K,
  trust: LicenseTrust,
): SlpResult<PayloadOf<K>> {
  if (!checkDocument.Check(document)) return { ok: false, reason: 'not a signed license document' };
  if (document.kind !== kind) return { ok: false, reason: `a ${document.kind} document where a ${kind} was expected` };
  const key = trust.keys.get(document.kid);
  if (!key) return { ok: false, reason: `signed by an unknown key (${document.kid})` };
  if (!verifyBytes(document.payload, document.signature, key)) return { ok: false, reason: 'signature is not valid' };
  let payload: unknown;
  try {
    payload = JSON.parse(document.payload);
  } catch {
    return { ok: false, reason: 'payload is not JSON' };
  }
  if (!checkPayload[kind].Check(payload)) return { ok: false, reason: `payload is not a valid ${kind}` };
  return { ok: true, value: payload as PayloadOf<K> };
}

/** `smart_license` on the wire: base64 of the document's JSON. */
export function encodeSmartLicense(document: SignedDocument): string {
  return Buffer.from(JSON.stringify(document)).toString('base64');
}

export function decodeSmartLicense(b64: string): unknown {
  try {
    return JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Whether a report's signature covers its payload under the key it names (integrity, not identity). */
export function reportSignatureValid(report: unknown, publicKey?: KeyObject): report is RumReport {
  if (!checkReport.Check(report)) return false;
  return publicKey !== undefined && verifyBytes(report.payload, report.signature.value, publicKey);
}

// ----------------------------------------------------------------------------------------- RUM reports

/** One license's usage over one window, as a report states it. */
export interface RumUsage {
  sudi: Sudi;
  reportId: number;
  tag: string;
  softwareVersion: string;
  /** Window, epoch seconds of the device clock. */
  start: number;
  end: number;
  count: number;
  /** `termination_reason` (§10.3). */
  reason: string;
}

/** The report a device signs: measured from its window alone (15-minute samples counted, §9.4). */
export function buildRumReport(usage: RumUsage, key: KeyObject, publicKeySpkiB64: string): RumReport {
  const payload: RumPayload = {
    version: '2.0',
    asset_identification: {
      report_id: usage.reportId,
      asset: { name: usage.sudi.udi_pid },
      instance: { sudi: usage.sudi },
    },
    meta: {
      entitlement_tag: usage.tag,
      software_version: usage.softwareVersion,
      ha_udi: [{ role: 'Active', sudi: usage.sudi }],
    },
    measurements: [
      {
        log_time: usage.end,
        metric_name: 'ENTITLEMENT',
        start_time: usage.start,
        end_time: usage.end,
        sample_interval: RUM_SAMPLE_INTERVAL_S,
        num_samples: Math.floor((usage.end - usage.start) / RUM_SAMPLE_INTERVAL_S),
        meta: { termination_reason: usage.reason },
        value: { type: 'COUNT', value: String(usage.count) },
      },
    ],
  };
  const text = JSON.stringify(payload);
  return {
    payload: text,
    signature: { sudi: usage.sudi, signing_type: 'builtin', key: publicKeySpkiB64, value: signBytes(text, key) },
  };
}

/** Whether two SLP bodies name one product instance. */
export const sameSudi = (a: Sudi, b: Sudi): boolean =>
  a.udi_pid === b.udi_pid && a.udi_serial_number === b.udi_serial_number;

/** `PID:<pid>,SN:<sn>`, as devices print a UDI. */
export const sudiString = (sudi: Sudi): string => `PID:${sudi.udi_pid},SN:${sudi.udi_serial_number}`;

const checkPayloadOf = TypeCompiler.Compile(RumPayload);

/**
 * A report's payload, once it is a RUM report of `sudi` (signer and instance) whose signature covers it with
 * the key it names: what a relay (CSLU) can check without knowing the device. Who the key belongs to is
 * the cloud's question.
 */
export function openRumReport(report: unknown, sudi: Sudi): SlpResult<RumPayload> {
  if (!checkReport.Check(report)) return { ok: false, reason: 'not a signed RUM report' };
  if (!reportSignatureValid(report, publicKeyFromSpki(report.signature.key)))
    return { ok: false, reason: 'its signature does not cover its payload with the key it names' };
  let payload: unknown;
  try {
    payload = JSON.parse(report.payload);
  } catch {
    return { ok: false, reason: 'its payload is not JSON' };
  }
  if (!checkPayloadOf.Check(payload)) return { ok: false, reason: 'its payload is not a RUM report' };
  if (!sameSudi(report.signature.sudi, sudi) || !sameSudi(payload.asset_identification.instance.sudi, sudi))
    return { ok: false, reason: `it is not a report of ${sudiString(sudi)}` };
  return { ok: true, value: payload };
}

// ----------------------------------------------------------------------------------------------- files

/** Files over this are refused before they are parsed. */
export const MAX_SLP_FILE_BYTES = 8 * 1024 * 1024;
const FILE_HEAD = '<?xml version="1.0" encoding="UTF-8"?><smartLicense>';
const FILE_TAIL = '</smartLicense>';
/** File element names: RUM reports as devices write them (§10.3), and one per cloud document kind. */
export const FILE_ELEMENTS = {
  RUM: 'RUMReport',
  RUM_ACK: 'RUMACK',
  POLICY: 'policy',
  TRUST_CODE: 'trustCode',
  SLAC: 'smartLicenseAuthorization',
  RESERVATION: 'reservationAuthorizationCode',
} as const;
export type FileElement = (typeof FILE_ELEMENTS)[keyof typeof FILE_ELEMENTS];

export interface FileEntry {
  element: FileElement;
  /** The CDATA's JSON, parsed. */
  value: unknown;
}

/** One line, as the device writes it (§10.3: "the real file is one line"). */
export function formatSlpFile(entries: readonly FileEntry[]): string {
  return `${FILE_HEAD}${entries.map((e) => `<${e.element}><![CDATA[${JSON.stringify(e.value)}]]></${e.element}>`).join('')}${FILE_TAIL}\n`;
}

const KNOWN = new Set<string>(Object.values(FILE_ELEMENTS));
const ELEMENT_RE = /<([A-Za-z]+)><!\[CDATA\[([\s\S]*?)\]\]><\/\1>/y;

export function parseSlpFile(input: string | Uint8Array): SlpResult<FileEntry[]> {
  if (input.length > MAX_SLP_FILE_BYTES) return { ok: false, reason: `file is over ${MAX_SLP_FILE_BYTES} bytes` };
  const text = (typeof input === 'string' ? input : Buffer.from(input).toString('utf8')).trim();
  if (!text.startsWith(FILE_HEAD)) return { ok: false, reason: 'not a smartLicense file' };
  if (!text.endsWith(FILE_TAIL)) return { ok: false, reason: 'file is truncated' };
  const body = text.slice(FILE_HEAD.length, text.length - FILE_TAIL.length);
  const entries: FileEntry[] = [];
  ELEMENT_RE.lastIndex = 0;
  while (ELEMENT_RE.lastIndex < body.length) {
    const at = ELEMENT_RE.lastIndex;
    const m = ELEMENT_RE.exec(body);
    if (!m) return { ok: false, reason: `unreadable element at offset ${at}` };
    if (!KNOWN.has(m[1]!)) return { ok: false, reason: `unknown element <${m[1]}>` };
    try {
      entries.push({ element: m[1] as FileElement, value: JSON.parse(m[2]!) });
    } catch {
      return { ok: false, reason: `<${m[1]}> holds no valid JSON` };
    }
  }
  if (entries.length === 0) return { ok: false, reason: 'file holds no license data' };
  return { ok: true, value: entries };
}

// ------------------------------------------------------------------------------------------- poll ids

/** JSON text of an SLP body, every `poll_id` written as the bare integer swapi sends (read with parseSlpJson). */
export function stringifySlpJson(value: unknown): string {
  return JSON.stringify(value, (key: string, v: unknown) =>
    key === 'poll_id' && typeof v === 'string' ? pollIdJson(v) : v,
  );
}
