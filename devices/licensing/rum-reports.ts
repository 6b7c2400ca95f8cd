/**
 * RUM reports as data (smart-licensing.md §9.4, §10.3): one OPEN report per license in use; closing
 * measures it from its window alone (15-minute samples counted, never sampled by a timer) and signs its
 * payload with the device key; CLOSED reports wait in storage, at most RUM_REPORT_MAX, until an ACK names
 * them. At the cap the oldest unacknowledged report is dropped and counted as purged (a lab choice: the
 * newest usage is the one a later ACK can still cover). Pure functions of the record.
 */
import { buildRumReport, RUM_REPORT_MAX, type Sudi } from '#protocol';
import type { KeyObject } from 'node:crypto';
import type { SlpEntitlement } from './slp-policy.ts';
import { ACKED_REPORTS_SHOWN, type AckedReport, type SlpRecord, type StoredReport } from './slp-record.ts';

/** What a report says of the device that signs it. */
export interface RumSigner {
  sudi: Sudi;
  softwareVersion: string;
  key: KeyObject;
  publicKeySpkiB64: string;
}

/** `termination_reason` (§10.3: CurrentUsageRequested seen; the others lab wording). */
export type CloseReason = 'CurrentUsageRequested' | 'ReportWindowElapsed' | 'SystemReload' | 'UsageChanged';

/** An OPEN report for every license in use that has none; ids are device epoch seconds, always growing. */
export function openReports(record: SlpRecord, inUse: readonly SlpEntitlement[], deviceNowS: number): SlpRecord {
  const missing = inUse.filter((e) => !record.reports.some((r) => r.state === 'OPEN' && r.tag === e.tag));
  if (missing.length === 0) return record;
  let lastReportId = record.lastReportId;
  const opened = missing.map((e): StoredReport => {
    lastReportId = Math.max(deviceNowS, lastReportId + 1);
    return { id: lastReportId, tag: e.tag, feature: e.feature, count: e.count, state: 'OPEN', start: deviceNowS };
  });
  return capped({ ...record, reports: [...record.reports, ...opened], lastReportId });
}

/** Closes every OPEN report (or those of `tags`) at `deviceNowS`, then applies the cap. */
export function closeReports(
  record: SlpRecord,
  deviceNowS: number,
  reason: CloseReason,
  signer: RumSigner,
  tags?: readonly string[],
): SlpRecord {
  const reports = record.reports.map((r) => {
    if (r.state !== 'OPEN' || (tags && !tags.includes(r.tag))) return r;
    const end = Math.max(r.start, deviceNowS);
    const usage = { sudi: signer.sudi, reportId: r.id, tag: r.tag, softwareVersion: signer.softwareVersion };
    const window = { start: r.start, end, count: r.count, reason };
    const signed = buildRumReport({ ...usage, ...window }, signer.key, signer.publicKeySpkiB64);
    return { ...r, state: 'CLOSED' as const, end, signed };
  });
  return capped({ ...record, reports });
}

function capped(record: SlpRecord): SlpRecord {
  const over = record.reports.length - RUM_REPORT_MAX;
  if (over <= 0) return record;
  const drop = new Set(
    record.reports
      .filter((r) => r.state === 'CLOSED')
      .slice(0, over)
      .map((r) => r.id),
  );
  return { ...record, reports: record.reports.filter((r) => !drop.has(r.id)), purged: record.purged + drop.size };
}

/** Reports waiting for an ACK (closed, signed). */
export const unacknowledged = (record: SlpRecord): StoredReport[] => record.reports.filter((r) => r.state === 'CLOSED');

/** The record once an ACK naming `ids` (all held here: checked before) is installed. */
export function acknowledge(record: SlpRecord, ids: readonly number[]): SlpRecord {
  const acked = new Set(ids);
  const isAcked = (r: StoredReport) => r.state === 'CLOSED' && acked.has(r.id);
  const reports = record.reports.filter((r) => !isAcked(r));
  const done = record.reports
    .filter(isAcked)
    .map((r): AckedReport => ({ id: r.id, tag: r.tag, feature: r.feature, start: r.start, end: r.end ?? r.start }));
  const ackedReports = [...(record.ackedReports ?? []), ...done].slice(-ACKED_REPORTS_SHOWN);
  return {
    ...record,
    reports,
    acked: record.acked + done.length,
    ...(ackedReports.length > 0 ? { ackedReports } : {}),
  };
}
