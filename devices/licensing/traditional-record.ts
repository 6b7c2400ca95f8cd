/**
 * What the traditional (CSL) agent keeps in trusted storage: the license storage (installed lines verbatim,
 * with the comment and store index each got) and the persistence storage, a write-once history of what
 * happened to licenses (MIB-543 glossary: "persistence storage … holds the license history for that device,
 * along with certain information about license removals, expiries, rehost"). Usage of metered licenses is
 * banked here too, so a reload or a lab restart never gives evaluation time back.
 */
import type { LicenseLineType, LicensePriority } from '#protocol';
import type { RtuActivation } from './traditional-rtu.ts';

/** One license line installed from a file; `text` is the signed line, re-verified at every boot. */
export interface InstalledLicense {
  text: string;
  /** `Store Index:` in Primary License Storage; indexes are never reused. */
  storeIndex: number;
  /** `license comment add` (clmgmtLicenseComments). */
  comment: string;
  installedAt: number;
  /** `license modify priority <feature> {high|low}`: replaces the line's own priority. */
  priority?: LicensePriority;
  /**
   * `license revoke` (rehost): the line stays in storage, unusable, so the same file cannot install it
   * again and the persistence storage keeps what was moved away; `license` is its key (the line's id),
   * `permissionTicket` the ticket's id.
   */
  revoked?: { at: number; license: string; feature: string; permissionTicket: string };
}

export type HistoryAction = 'install' | 'clear' | 'expire' | 'eulaAccept' | 'revoke' | 'activate' | 'deactivate';

/** One entry of the persistence history: appended, never edited or removed. */
export interface HistoryEntry {
  at: number;
  action: HistoryAction;
  /** Absent for the EULA acceptance, which covers every feature. */
  feature?: string;
  /** The license key (line id, `builtin:<feature>`). */
  license?: string;
  type?: LicenseLineType;
}

export interface TraditionalRecord {
  installed: InstalledLicense[];
  nextStoreIndex: number;
  /** `license accept end user agreement` (all built-in evaluation licenses at once). */
  eulaAccepted: boolean;
  /** Usage of metered licenses banked so far, ms, by license key; never reset (it only grows). */
  usedMs: Record<string, number>;
  history: HistoryEntry[];
  /** Right-to-Use activations (Catalyst 3650 / 3850, traditional-rtu.ts); absent on records written before. */
  rightToUse?: RtuActivation[];
}

/** The persistence history keeps the newest entries past this many (a bounded record, oldest dropped first). */
export const MAX_HISTORY = 512;

export function newTraditionalRecord(): TraditionalRecord {
  return { installed: [], nextStoreIndex: 1, eulaAccepted: false, usedMs: {}, history: [] };
}

/** The record with one more history entry (write-once: earlier entries are kept as they are). */
export function withHistory(record: TraditionalRecord, entry: HistoryEntry): TraditionalRecord {
  const history = [...record.history, entry];
  return { ...record, history: history.length > MAX_HISTORY ? history.slice(-MAX_HISTORY) : history };
}

/** Keys of the lines revoked here (rehost): they may not be installed again. */
export function revokedKeys(record: { installed: readonly InstalledLicense[] }): ReadonlySet<string> {
  return new Set(record.installed.flatMap((i) => (i.revoked ? [i.revoked.license] : [])));
}
