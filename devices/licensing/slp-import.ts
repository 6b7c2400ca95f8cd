/**
 * What the cloud (or a file) hands an SLP device, checked whole before anything is installed: each document
 * signed by a key the device trusts (the portal's license keys, slp-document.ts), of a kind the device
 * installs, and meant for it (its UDI, its key, reports it holds). One bad document refuses them all, with
 * the reason the device prints; storage stays as it was.
 */
import {
  FILE_ELEMENTS,
  openDocument,
  parseSlpFile,
  sameSudi,
  sudiString,
  type AckPayload,
  type LicenseTrust,
  type PolicyPayload,
  type SlacPayload,
  type Sudi,
  type TrustCodePayload,
} from '#protocol';
import type { SlpRecord } from './slp-record.ts';

export type OpenedDocument =
  | { kind: 'RUM_ACK'; payload: AckPayload }
  | { kind: 'POLICY'; payload: PolicyPayload }
  | { kind: 'TRUST_CODE'; payload: TrustCodePayload }
  | { kind: 'SLAC'; payload: SlacPayload };

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const KINDS = ['RUM_ACK', 'POLICY', 'TRUST_CODE', 'SLAC'] as const;
type Kind = (typeof KINDS)[number];

/** File element → document kind (slp-document.ts FILE_ELEMENTS). */
const ELEMENT_KIND: Record<string, Kind> = {
  [FILE_ELEMENTS.RUM_ACK]: 'RUM_ACK',
  [FILE_ELEMENTS.POLICY]: 'POLICY',
  [FILE_ELEMENTS.TRUST_CODE]: 'TRUST_CODE',
  [FILE_ELEMENTS.SLAC]: 'SLAC',
};

function kindOf(document: unknown): Kind | undefined {
  const kind = (document as { kind?: unknown } | null)?.kind;
  return KINDS.find((k) => k === kind);
}

/** Signed documents as the cloud answers them (poll results, trust answers). */
export function openDocuments(documents: readonly unknown[], trust: LicenseTrust): Checked<OpenedDocument[]> {
  const opened: OpenedDocument[] = [];
  for (const document of documents) {
    const kind = kindOf(document);
    if (kind === undefined) return { ok: false, reason: 'not a license document this device installs' };
    const result = openDocument(document, kind, trust);
    if (!result.ok) return result;
    opened.push({ kind, payload: result.value } as OpenedDocument);
  }
  return { ok: true, value: opened };
}

/** A `license smart import` file: every element a document of the element's kind. */
export function openSlpFile(text: string, trust: LicenseTrust): Checked<OpenedDocument[]> {
  const file = parseSlpFile(text);
  if (!file.ok) return file;
  const documents: unknown[] = [];
  for (const entry of file.value) {
    const kind = ELEMENT_KIND[entry.element];
    if (kind === undefined) return { ok: false, reason: `a <${entry.element}> element is not something to import` };
    if (kindOf(entry.value) !== kind)
      return { ok: false, reason: `<${entry.element}> does not hold a ${kind} document` };
    documents.push(entry.value);
  }
  return openDocuments(documents, trust);
}

export interface ImportTarget {
  sudi: Sudi;
  publicKeySpkiB64: string;
  record: SlpRecord;
}

/** Documents that are for this device, or why not. */
export function checkForDevice(documents: readonly OpenedDocument[], target: ImportTarget): Checked<OpenedDocument[]> {
  const held = new Set(target.record.reports.filter((r) => r.state === 'CLOSED').map((r) => r.id));
  for (const d of documents) {
    const sudi = d.payload.sudi;
    if (sudi !== undefined && !sameSudi(sudi, target.sudi))
      return { ok: false, reason: `it is for another device (${sudiString(sudi)})` };
    if (d.kind === 'RUM_ACK') {
      const foreign = d.payload.report_ids.filter((id) => !held.has(id));
      if (foreign.length > 0)
        return { ok: false, reason: `it acknowledges reports this device does not hold (${foreign.join(', ')})` };
    }
    if (d.kind === 'TRUST_CODE' && d.payload.public_key !== target.publicKeySpkiB64)
      return { ok: false, reason: "the trust code is bound to another key than this device's" };
  }
  return { ok: true, value: [...documents] };
}
