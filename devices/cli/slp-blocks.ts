/**
 * The blocks of SLP `show license status` / `summary` (smart-licensing.md §4.5–4.8), as lines from the
 * device's SLP view. Layout rules are the captures': section headers at column 0, fields indented 2,
 * `<none>` for a missing time, `<empty>` for an unset string, two spaces in `30  days`.
 */
import { LICENSE_CLASSES, type LicenseClass } from '#protocol';
import type { SlpView } from '../licensing/slp-view.ts';
import type { DeviceView } from './cli-device.ts';
import type { DateOf } from './smart-blocks.ts';
import { overallStatus, reservationShown } from './show-license-reservation.ts';

/** The view of an SLP device (the command table offers these commands only in SLP mode). */
export function slpOf(view: DeviceView): SlpView {
  if (!view.slp) throw new Error('[cli] an SLP show command ran without an SLP agent');
  return view.slp;
}

export const orNone = (date: DateOf, t: number | undefined): string => (t === undefined ? '<none>' : date(t));

export function accountBlock(s: SlpView, date: DateOf): string[] {
  const a = s.account;
  return [
    'Account Information:',
    `  Smart Account: ${a ? `${a.smartAccount} As of ${date(a.asOf)}` : '<none>'}`,
    `  Virtual Account: ${a ? a.virtualAccount : '<none>'}`,
  ];
}

const NOT_CONFIGURED = ['  Proxy:', '    Not Configured', '  VRF:', '    Not Configured'];

/** cslu (§4.5), off (§4.6), Smart (NTC status3: no proxy); Call Home in the Smart form (lab choice). */
export function slpTransportBlock(s: SlpView): string[] {
  const t = s.transport;
  switch (t.type) {
    case 'off':
      return ['Transport:', '  Type: Transport Off'];
    case 'cslu':
      return ['Transport:', '  Type: cslu', `  Cslu address: ${t.csluUrl ?? '<empty>'}`, ...NOT_CONFIGURED];
    case 'smart':
      return ['Transport:', '  Type: Smart', `  URL: ${t.smartUrl}`, ...NOT_CONFIGURED];
    case 'callhome':
      return ['Transport:', '  Type: Callhome', ...NOT_CONFIGURED];
  }
}

const CLASS_TITLES: Record<LicenseClass, string> = {
  unenforced_perpetual: 'Unenforced/Non-Export Perpetual Attributes:',
  unenforced_subscription: 'Unenforced/Non-Export Subscription Attributes:',
  enforced: 'Enforced (Perpetual/Subscription) License Attributes:',
  export: 'Export (Perpetual/Subscription) License Attributes:',
};

export function policyBlock(s: SlpView, date: DateOf): string[] {
  const { policy: p, installedAt } = s.policy;
  const tag = `(${p.origin})`;
  const lines = [
    'Policy:',
    installedAt === undefined
      ? '  Policy in use: Merged from multiple sources.'
      : `  Policy in use: Installed On ${date(installedAt)}`,
    ...(installedAt === undefined ? [] : [`  Policy name: ${p.name}`]),
    `  Reporting ACK required: ${p.ack_required ? 'yes' : 'no'} ${tag}`,
  ];
  for (const c of LICENSE_CLASSES)
    lines.push(
      `  ${CLASS_TITLES[c]}`,
      `    First report requirement (days): ${p[c].first_report} ${tag}`,
      `    Reporting frequency (days): ${p[c].reporting_frequency} ${tag}`,
      `    Report on change (days): ${p[c].report_on_change} ${tag}`,
    );
  return lines;
}

/** `internal`: what tech-support adds after the push interval (` State(4) InPolicy(60)`, §4.10). */
export function usageReportingBlock(s: SlpView, date: DateOf, internal = ''): string[] {
  const u = s.usageReporting;
  return [
    'Usage Reporting:',
    `  Last ACK received: ${orNone(date, u.lastAckAt)}`,
    `  Next ACK deadline: ${orNone(date, u.nextAckDeadline)}`,
    `  Reporting push interval: ${u.pushIntervalDays > 0 ? `${u.pushIntervalDays}  days` : '0 (no reporting)'}${internal}`,
    `  Next ACK push check: ${orNone(date, u.nextAckPushCheck)}`,
    `  Next report push: ${orNone(date, u.nextReportPush)}`,
    `  Last report push: ${orNone(date, u.lastReportPush)}`,
    `  Last report file write: ${orNone(date, u.lastReportFileWrite)}`,
  ];
}

/** A standalone device: one line (§4.6, §4.7); stacks' per-member form (§4.5) is not modelled. */
export const trustBlock = (s: SlpView, date: DateOf): string[] => [
  `Trust Code Installed: ${orNone(date, s.trust?.installedAt)}`,
];

/**
 * SLR / PLR on 17.x (no capture in the reference): a `License Reservation:` block holding the `Overall
 * status:` lines of `show license reservation`, indented 2 as SLP blocks are; absent while reservation is
 * neither configured nor installed, as classic omits `License Reservation is ENABLED` (lab layout).
 */
export function reservationBlock(s: SlpView, date: DateOf): string[] {
  if (!reservationShown(s.reservation)) return [];
  return ['License Reservation:', ...overallStatus(s.reservation, s.udi, date).map((l) => `  ${l}`)];
}

/** §4.4 (classic SLR capture): `License Reservation is ENABLED`, kept on 17.x summaries (lab choice). */
export const reservationEnabledLines = (s: SlpView): string[] =>
  s.reservation.enabled ? ['License Reservation is ENABLED'] : [];
