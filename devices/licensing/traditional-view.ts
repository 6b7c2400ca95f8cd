/**
 * What the traditional agent shows (`show license …`, `show version`): every license with its MIB status
 * (clmgmtLicenseStatus) at this instant, the features in `show license` order and the chart's state. Plain
 * data; the CLI formats it.
 */
import type { SnapshotFrom } from 'xstate';
import type { RunningLevel } from './boot-level.ts';
import type { CallHomeOutcome } from './call-home.machine.ts';
import { inUseLicense, usedNow, type TraditionalContext } from './traditional-context.ts';
import { allocateUsage } from './traditional-counted.ts';
import { hasExpired, isMetered, usable, type License } from './traditional-licenses.ts';
import type { HistoryEntry } from './traditional-record.ts';
import type { TraditionalMachine } from './traditional.machine.ts';

/** clmgmtLicenseStatus (B.2.2). */
export type LicenseStatus = 'inactive' | 'notInUse' | 'inUse' | 'expiredInUse' | 'expiredNotInUse';

export interface LicenseView extends License {
  status: LicenseStatus;
  /** Metered: usage so far, ms. */
  usedMs?: number;
  /** Counted: the feature's entities in use counted on this license, and those beyond the licensed count. */
  countInUse?: number;
  countViolation?: number;
}

/** The chart's state: how the license the level runs on stands. */
export type TraditionalPhase = 'permanent' | 'counting' | 'expired';

export interface TraditionalView {
  phase: TraditionalPhase;
  /** The level this boot runs and the license key it runs on. */
  running: RunningLevel;
  /** The level configured for the next reload (a right-to-use activation sets it). */
  nextReload: string;
  eulaAccepted: boolean;
  /** Every license, in `show license detail` order (factory, installed, built-in). */
  licenses: readonly LicenseView[];
  /** Features in `show license` order. */
  features: readonly string[];
  history: readonly HistoryEntry[];
  /** Lines revoked here by a permission ticket (rehost): kept in storage, no license of the device any more. */
  revoked: readonly RevokedLicense[];
  /** Subscription features and their calendar chart's state (`active`, `extension`, `expired`). */
  subscriptions?: Record<string, string>;
  /** License call-home, where the lab gives the device a way to the portal (`show license call-home`). */
  callHome?: CallHomeView;
}

export interface CallHomeView {
  /** Where requests go (the transport's description) and the Cisco.com user they carry. */
  url: string;
  username: string;
  state: 'idle' | 'requesting';
  /** The command in flight. */
  pending?: string;
  last?: CallHomeOutcome;
}

export interface RevokedLicense {
  key: string;
  feature: string;
  storeIndex: number;
  at: number;
  permissionTicket: string;
}

function phaseOf(value: unknown): TraditionalPhase {
  if (value === 'permanent' || value === 'route') return 'permanent';
  return (value as { metered?: string }).metered === 'expired' ? 'expired' : 'counting';
}

/**
 * `inUse` is the license the running level runs on (and, on ISR G2, the always-on base package's);
 * a metered license beside a usable unmetered one of its feature is `inactive` (S-ASR903).
 */
export function traditionalViewOf(
  snapshot: SnapshotFrom<TraditionalMachine>,
  now: number,
  alwaysInUse: string | undefined,
): TraditionalView {
  const c: TraditionalContext = snapshot.context;
  const deviceNow = now + c.device.clockOffsetMs;
  const running = inUseLicense(c);
  const status = (l: License): LicenseStatus => {
    const inUse = l === running || l.key === alwaysInUse;
    const expired = l === running ? snapshot.matches({ metered: 'expired' }) : hasExpired(c.record, l, deviceNow);
    if (inUse) return expired ? 'expiredInUse' : 'inUse';
    if (expired) return 'expiredNotInUse';
    const covered = c.licenses.some(
      (o) => o.feature === l.feature && !isMetered(o) && o !== l && usable(c.record, o, deviceNow),
    );
    return isMetered(l) && covered ? 'inactive' : 'notInUse';
  };
  // Counted usage spread over the feature's licenses (traditional-counted.ts), 0 on the others.
  const counting = new Map(
    Object.entries(c.countInUse ?? {}).flatMap(([feature, inUse]) => [
      ...allocateUsage(c.licenses, c.record, deviceNow, feature, inUse),
    ]),
  );
  const licenses = c.licenses.map((l) => ({
    ...l,
    status: status(l),
    ...(isMetered(l) ? { usedMs: l === running ? usedNow(c, now) : (c.record.usedMs[l.key] ?? 0) } : {}),
    ...(l.count !== null ? (counting.get(l.key) ?? { countInUse: 0, countViolation: 0 }) : {}),
  }));
  return {
    phase: phaseOf(snapshot.value),
    running: c.running,
    nextReload: c.device.nextReload,
    eulaAccepted: c.record.eulaAccepted,
    licenses,
    features: c.device.features,
    history: c.record.history,
    revoked: c.record.installed.flatMap((i) =>
      i.revoked
        ? [
            {
              key: i.revoked.license,
              feature: i.revoked.feature,
              storeIndex: i.storeIndex,
              at: i.revoked.at,
              permissionTicket: i.revoked.permissionTicket,
            },
          ]
        : [],
    ),
  };
}
