/**
 * What `lab up` shows of a running fleet: each device's licensing state as `show license status` names it,
 * counted by kind and site, with the virtual date and the cloud traffic. Pure functions of the fleet, so the
 * live table, the plain CI lines and `lab status` all read the same figures.
 */
import type { VirtualDevice } from '#devices';
import type { FleetMember } from './fleet.ts';
import type { FleetNode } from './topology.ts';

/**
 * States in the order a reader scans them: healthy first, trouble after, no Smart agent last. SLP devices
 * (17.x) have no registration: ACKED once a usage report was acknowledged, NOT REPORTED before, ACK OVERDUE
 * when the policy's next ACK deadline passed (smart-licensing.md §9.2); with an SLR / PLR code installed
 * AUTHORIZED, as a reserved 16.x device counts (nothing to report, nothing owed).
 */
export const LICENSE_STATES = [
  'AUTHORIZED',
  'ACKED',
  'REGISTERED',
  'AUTH PENDING',
  'REGISTERING',
  'EVAL',
  'OUT OF COMPLIANCE',
  'AUTH EXPIRED',
  'EVAL EXPIRED',
  'REG FAILED',
  'ACK OVERDUE',
  'NOT REPORTED',
  'UNREGISTERED',
  'TRADITIONAL',
  'RELOADING',
  'OFF',
] as const;
export type LicenseState = (typeof LICENSE_STATES)[number];

export function licenseStateOf(device: VirtualDevice): LicenseState {
  if (device.state !== 'running') return device.state === 'reloading' ? 'RELOADING' : 'OFF';
  const agent = device.agentState();
  if (agent === undefined || agent.mode === 'traditional') return 'TRADITIONAL';
  if (agent.mode === 'slp') {
    const slp = device.slp()!;
    if (slp.states.reservation.startsWith('installed')) return 'AUTHORIZED';
    if (slp.states.ack === 'overdue') return 'ACK OVERDUE';
    return slp.usageReporting.lastAckAt === undefined ? 'NOT REPORTED' : 'ACKED';
  }
  const { registration, authorization } = device.smart();
  if (registration.status === 'inProgress') return 'REGISTERING';
  if (registration.status === 'failed' || registration.status === 'retrying') return 'REG FAILED';
  const byAuthorization: Record<typeof authorization.status, LicenseState> = {
    none: registration.status === 'registered' ? 'REGISTERED' : 'UNREGISTERED',
    eval: 'EVAL',
    evalExpired: 'EVAL EXPIRED',
    pending: 'AUTH PENDING',
    authorized: 'AUTHORIZED',
    outOfCompliance: 'OUT OF COMPLIANCE',
    authorizationExpired: 'AUTH EXPIRED',
  };
  return byAuthorization[authorization.status];
}

export interface FleetRow {
  kind: string;
  site: string;
  counts: Partial<Record<LicenseState, number>>;
}

/** States of a device whose registration went through: the spin-up bar counts them. */
const REGISTERED_STATES: ReadonlySet<LicenseState> = new Set<LicenseState>([
  'AUTHORIZED',
  'REGISTERED',
  'AUTH PENDING',
  'OUT OF COMPLIANCE',
  'AUTH EXPIRED',
]);

export interface FleetSnapshot {
  labTime: number;
  devices: number;
  /** Smart devices given a token, and how many of them are registered; `lab up` drops it once all were. */
  registration?: { registered: number; expected: number };
  totals: Partial<Record<LicenseState, number>>;
  rows: FleetRow[];
  exchanges: { sent: number; failed: number; perSecond: number };
  problems: number;
  /** Faults active now (lab/faults/). */
  faultsActive: number;
}

/** One device as the summary counts it. */
export interface DeviceRow {
  node: FleetNode;
  state: LicenseState;
  /** The platform family, the kind when the topology names none. */
  family: string;
}

export function deviceRows(members: readonly FleetMember[]): DeviceRow[] {
  return members.map(({ node, device }) => ({ node, state: licenseStateOf(device), family: device.platform.family }));
}

export function fleetSnapshot(
  devices: readonly DeviceRow[],
  figures: Omit<FleetSnapshot, 'devices' | 'totals' | 'rows' | 'registration'>,
): FleetSnapshot {
  const totals: Partial<Record<LicenseState, number>> = {};
  const rows = new Map<string, FleetRow>();
  const registration = { registered: 0, expected: 0 };
  for (const { node, state, family } of devices) {
    totals[state] = (totals[state] ?? 0) + 1;
    if (node.licensing === 'smart' && node.cloud?.token !== undefined) {
      registration.expected++;
      if (REGISTERED_STATES.has(state)) registration.registered++;
    }
    const kind = node.kind ?? family;
    const site = node.labels.site ?? '-';
    const key = `${kind}\u0000${site}`;
    const row: FleetRow = rows.get(key) ?? { kind, site, counts: {} };
    row.counts[state] = (row.counts[state] ?? 0) + 1;
    rows.set(key, row);
  }
  const sorted = [...rows.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.site.localeCompare(b.site));
  return { ...figures, devices: devices.length, totals, rows: sorted, registration };
}

/** While the fleet registers: how far it is, as a bar, or nothing once every expected device is in. */
function spinUp(s: FleetSnapshot): string | undefined {
  const r = s.registration;
  if (!r || r.expected === 0 || r.registered >= r.expected) return undefined;
  const width = 30;
  const filled = Math.floor((r.registered / r.expected) * width);
  const percent = Math.floor((r.registered / r.expected) * 100);
  return `registering ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${r.registered}/${r.expected} (${percent} %)`;
}

const iso = (t: number) => new Date(t).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

/** One line: for logs, CI and a stdout that is not a terminal. */
export function summaryLine(s: FleetSnapshot): string {
  const states = LICENSE_STATES.filter((st) => s.totals[st]).map((st) => `${st} ${s.totals[st]}`);
  return (
    `[lab] ${iso(s.labTime)} · ${s.devices} devices: ${states.join(', ')} · ` +
    `exchanges ${s.exchanges.sent} (${s.exchanges.perSecond.toFixed(1)}/s, ${s.exchanges.failed} failed)` +
    (s.faultsActive > 0 ? ` · ${s.faultsActive} faults active` : '') +
    (s.problems > 0 ? ` · ${s.problems} problems` : '') +
    (spinUp(s) !== undefined ? ` · registered ${s.registration!.registered}/${s.registration!.expected}` : '')
  );
}

/** The table the live view redraws: a row per kind and site, a column per state present anywhere. */
export function summaryTable(s: FleetSnapshot, title: string): string[] {
  const states = LICENSE_STATES.filter((st) => s.totals[st]);
  const kindWidth = Math.max(4, ...s.rows.map((r) => r.kind.length));
  const siteWidth = Math.max(4, ...s.rows.map((r) => r.site.length));
  const cell = (text: string, state: string) => text.padStart(Math.max(state.length, 5));
  const header = ['kind'.padEnd(kindWidth), 'site'.padEnd(siteWidth), ...states.map((st) => cell(st, st))].join('  ');
  const line = (kind: string, site: string, counts: Partial<Record<LicenseState, number>>) =>
    [kind.padEnd(kindWidth), site.padEnd(siteWidth), ...states.map((st) => cell(String(counts[st] ?? 0), st))].join(
      '  ',
    );
  const bar = spinUp(s);
  return [
    `${title} · ${iso(s.labTime)} · ${s.devices} devices`,
    `exchanges ${s.exchanges.sent} (${s.exchanges.perSecond.toFixed(1)}/s) · failed ${s.exchanges.failed} · ` +
      `faults active ${s.faultsActive} · problems ${s.problems}`,
    ...(bar !== undefined ? [bar] : []),
    '',
    header,
    ...s.rows.map((r) => line(r.kind, r.site, r.counts)),
    line('total', '', s.totals),
  ];
}
