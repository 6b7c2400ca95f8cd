/**
 * The SLP agent as `show license …`, the on-box REST API and the lab read it: plain data from the chart's
 * snapshot. Times are device-clock epoch ms (lab clock + the device's clock offset).
 */
import type { LicenseClass, Policy, Udi } from '#protocol';
import { DEFAULT_SMART_URL, type SlpConfig, type SlpTransport } from './slp-config.ts';
import type { SlpContext } from './slp-context.ts';
import { needsAuthorization, policyOf, pushIntervalMs, reportingDays } from './slp-policy.ts';
import type { MessageStats, MessageType, RumState } from './slp-record.ts';
import { deadlineOf, licensesInUse } from './slp-setup.ts';
import { reservationView, reservedCount } from './license-reservation.ts';
import { isReserved, reservationOf } from './slp-reservation.ts';
import type { ReservationView } from './smart-view.ts';

export interface SlpLicenseView {
  tag: string;
  feature: string;
  description: string;
  count: number;
  class: LicenseClass;
  /** `IN USE`; an enforced or export-controlled license without a SLAC is `NOT IN USE`. */
  inUse: boolean;
  /** Holds a Smart Licensing Authorization Code. */
  authorized: boolean;
  /** With a reservation installed: how many it reserves (`all` under PLR; 0: not in the SPECIFIC code). */
  reserved?: number | 'all';
}

export interface SlpReportView {
  id: number;
  tag: string;
  feature: string;
  state: RumState;
  start: number;
  end?: number;
}

/** An acknowledged report, no longer stored (`State: ACK`, `Storage State: DELETED`). */
export interface SlpAckedReportView {
  id: number;
  tag: string;
  feature: string;
  start: number;
  end: number;
}

export interface SlpView {
  udi: Udi;
  /** The SLP configuration as configured (the running configuration's). */
  config: SlpConfig;
  transport: { type: SlpTransport; csluUrl?: string; smartUrl: string };
  policy: { policy: Policy; installedAt?: number };
  account?: { smartAccount: string; virtualAccount: string; asOf: number };
  usageReporting: {
    lastAckAt?: number;
    nextAckDeadline?: number;
    /** 0: `0 (no reporting)`. */
    pushIntervalDays: number;
    nextAckPushCheck?: number;
    nextReportPush?: number;
    lastReportPush?: number;
    lastReportFileWrite?: number;
    /** Days of the reporting interval in force (tech-support `InPolicy(n)`), absent when none is. */
    inPolicyDays?: number;
  };
  trust?: { installedAt: number; validFrom: number; validUntil: number };
  licenses: SlpLicenseView[];
  reports: SlpReportView[];
  /** Reports acknowledged, oldest first, as many as the record keeps (ACKED_REPORTS_SHOWN). */
  ackedReports: SlpAckedReportView[];
  /** tech-support Communication Statistics, per message type (times device clock). */
  messages: Partial<Record<MessageType, MessageStats>>;
  /** When the last SLAC was installed (`show license history message` AUTH import), device clock. */
  lastAuthorizationAt?: number;
  /** Reports acknowledged (and deleted), and dropped unreported at the cap. */
  acked: number;
  purged: number;
  /** SLR / PLR as `show license reservation` prints it (the classic agent's view of it). */
  reservation: ReservationView;
  /** The chart's regions, by name (`ack: 'pending'`, `push: 'waiting'`, `reservation: 'installed.specific'`, …). */
  states: { communication: string; ack: string; push: string; trust: string; reservation: string };
}

function leaf(value: unknown): string {
  if (typeof value === 'string') return value;
  const [k, v] = Object.entries(value as Record<string, unknown>)[0]!;
  return `${k}.${leaf(v)}`;
}

export function slpViewOf(snapshot: { context: SlpContext; value: unknown }): SlpView {
  const c = snapshot.context;
  const r = c.record;
  const at = (t: number | undefined) => (t === undefined ? undefined : t + c.device.clockOffsetMs);
  const opt = <K extends string>(k: K, t: number | undefined) => (t === undefined ? {} : { [k]: at(t)! });
  const deadline = deadlineOf(c);
  const running = licensesInUse(c);
  const config: SlpConfig = c.config;
  const value = snapshot.value as Record<string, unknown>;
  const states = {
    communication: leaf(value.communication),
    ack: leaf(value.ack),
    push: leaf(value.push),
    trust: leaf(value.trust),
    reservation: leaf(value.reservation),
  };
  const reserved = isReserved(r);
  return {
    udi: c.device.udi,
    config,
    transport: {
      type: config.transport,
      ...(config.csluUrl ? { csluUrl: config.csluUrl } : {}),
      smartUrl: config.smartUrl ?? DEFAULT_SMART_URL,
    },
    policy: { policy: policyOf(r), ...opt('installedAt', r.policy?.installedAt) },
    ...(r.account ? { account: { ...r.account, asOf: at(r.account.asOf)! } } : {}),
    usageReporting: {
      ...opt('lastAckAt', r.lastAckAt),
      ...opt('nextAckDeadline', deadline),
      // Reserved: `0 (no reporting)` whatever the interval configured (reporting is not required).
      pushIntervalDays: reserved
        ? 0
        : Math.round(pushIntervalMs(config, c.timers.reportInterval, deadline) / 86_400_000),
      ...opt('nextAckPushCheck', c.nextAckCheckAt),
      ...opt('nextReportPush', r.nextPushAt),
      ...opt('lastReportPush', r.lastPushAt),
      ...opt('lastReportFileWrite', r.lastFileWriteAt),
      ...(deadline !== undefined ? { inPolicyDays: reportingDays(r, [...new Set(running.map((e) => e.class))])! } : {}),
    },
    ...(r.trust
      ? {
          trust: {
            installedAt: at(r.trust.installedAt)!,
            validFrom: r.trust.validFrom,
            validUntil: r.trust.validUntil,
          },
        }
      : {}),
    licenses: c.entitlements.map((e) => ({
      tag: e.tag,
      feature: e.feature,
      description: e.description,
      count: e.count,
      class: e.class,
      inUse: running.includes(e),
      authorized: needsAuthorization(e.class) && r.authorizations.some((a) => a.entitlement === e.tag),
      ...(reserved ? { reserved: reservedCount(reservationOf(r), e.tag) } : {}),
    })),
    reports: r.reports.map((x) => ({
      id: x.id,
      tag: x.tag,
      feature: x.feature,
      state: x.state,
      start: x.start * 1000,
      ...(x.end !== undefined ? { end: x.end * 1000 } : {}),
    })),
    ackedReports: (r.ackedReports ?? []).map((x) => ({ ...x, start: x.start * 1000, end: x.end * 1000 })),
    messages: Object.fromEntries(
      Object.entries(r.messages ?? {}).map(([type, m]) => [
        type,
        {
          ...m,
          ...(m.last ? { last: { ...m.last, at: at(m.last.at)! } } : {}),
          ...opt('lastSuccessAt', m.lastSuccessAt),
          ...opt('lastFailureAt', m.lastFailureAt),
        },
      ]),
    ),
    ...opt(
      'lastAuthorizationAt',
      r.authorizations.length ? Math.max(...r.authorizations.map((a) => a.installedAt)) : undefined,
    ),
    acked: r.acked,
    purged: r.purged,
    reservation: reservationView(reservationOf(r), at),
    states,
  };
}
