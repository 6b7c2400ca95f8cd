/**
 * What the SLP agent keeps in trusted storage: its RUM reports until they are acknowledged (with their
 * signatures, so a reload sends the same bytes), the policy and trust code installed, the last ACK and
 * account, and the reporting schedule. Times are lab epoch ms except report windows, which are the
 * device's own epoch seconds as the reports carry them. Plain JSON.
 */
import type { Policy, RumReport } from '#protocol';
import type { LicenseReservation } from './license-reservation.ts';

/** OPEN while it collects, CLOSED once measured and signed; an ACKed report leaves storage (§4.11). */
export type RumState = 'OPEN' | 'CLOSED';

export interface StoredReport {
  /** Epoch seconds (device clock) at opening, unique per device (§4.11). */
  id: number;
  tag: string;
  feature: string;
  count: number;
  state: RumState;
  /** Device epoch seconds. */
  start: number;
  end?: number;
  /** The signed report, from closing on. */
  signed?: RumReport;
}

/** An acknowledged report as `show license rum id` still lists it (storage DELETED; §4.11). */
export interface AckedReport {
  id: number;
  tag: string;
  feature: string;
  start: number;
  end: number;
}

/** The exchanges tech-support's Communication Statistics counts, one block each (§4.10, its order). */
export const MESSAGE_TYPES = [
  'Trust Establishment',
  'Trust Acknowledgement',
  'Usage Reporting',
  'Result Polling',
  'Authorization Request',
  'Authorization Confirmation',
  'Authorization Return',
  'Trust Sync',
  'Hello Message',
  'Telemetry Reporting',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** One message type's counters; times are lab epoch ms. `response` as captured (`OK`, `OK_POLL`, `NO REPLY`). */
export interface MessageStats {
  total: number;
  success: number;
  fail: number;
  /** Failures in a row: of any kind, and of communication only (`Ongoing Failure: Overall=… Communication=…`). */
  ongoing: number;
  ongoingComm: number;
  last?: { response: string; at: number; reason?: string };
  lastSuccessAt?: number;
  lastFailureAt?: number;
}

export interface InstalledPolicy {
  policy: Policy;
  installedAt: number;
}

export interface TrustCode {
  installedAt: number;
  validFrom: number;
  validUntil: number;
  exportControlled: boolean;
}

/** A Smart Licensing Authorization Code: what an enforced or export-controlled license needs (§9.1). */
export interface Slac {
  entitlement: string;
  count: number;
  installedAt: number;
  confirmCode: string;
}

export interface SlpRecord {
  reports: StoredReport[];
  /** The last report id given out (ids only grow). */
  lastReportId: number;
  /** Reports dropped unreported at the cap (tech-support `Purged:`), and reports acknowledged. */
  purged: number;
  acked: number;
  /** When a license was first in use: the first-report requirement counts from here (§9.2). */
  firstUseAt?: number;
  lastAckAt?: number;
  policy?: InstalledPolicy;
  account?: { smartAccount: string; virtualAccount: string; asOf: number };
  trust?: TrustCode;
  lastPushAt?: number;
  nextPushAt?: number;
  lastFileWriteAt?: number;
  authorizations: Slac[];
  /**
   * SLR / PLR (license-reservation.ts, as the classic agent keeps it): absent until `license smart
   * reservation`, or carried over from a classic 16.x reservation at the first 17.x boot (slp-conversion.ts).
   */
  reservation?: LicenseReservation;
  /** Acknowledged reports, newest last, at most ACKED_REPORTS_SHOWN (absent in records written before). */
  ackedReports?: AckedReport[];
  /** Communication Statistics per message type (absent: none sent yet). */
  messages?: Partial<Record<MessageType, MessageStats>>;
  /** When a classic Smart registration was converted (slp-conversion.ts); kept through a factory reset. */
  convertedAt?: number;
}

/**
 * How many acknowledged reports `show license rum id all` keeps listing (lab choice: RUM_REPORT_MAX's 600
 * caps the reports stored; this display history is kept smaller).
 */
export const ACKED_REPORTS_SHOWN = 100;

export function newSlpRecord(): SlpRecord {
  return { reports: [], lastReportId: 0, purged: 0, acked: 0, authorizations: [] };
}
