/**
 * The licenses a traditional device holds, as plain data: what manufacturing preinstalled (the permanent
 * license of the level it was ordered with), the built-in evaluation licenses of its image (one per feature:
 * emergency use, 60 days of use, NOTLOCKED, EULA needed; S-CSAOV "Built-in Licenses for Emergencies") and
 * the lines installed from license files, each verified again against the trusted portal keys.
 * Which license may serve a feature, and in which order they are preferred (license priority), is here too.
 */
import {
  meteredTypes,
  parseLicenseLine,
  subscriptionTypes,
  type LicenseLine,
  type LicenseLineType,
  type LicensePriority,
  type LicenseTrust,
  type Udi,
} from '#protocol';
import type { PlatformModel } from '../kinds/platform.ts';
import type { InstalledLicense, TraditionalRecord } from './traditional-record.ts';
import { activeActivations, rtuLicense } from './traditional-rtu.ts';
import type { TraditionalTimers } from './traditional-timers.ts';

export type LicenseStore = 'primary' | 'builtin';

export const STORE_NAMES: Record<LicenseStore, string> = {
  primary: 'Primary License Storage',
  builtin: 'Built-In License Storage',
};

export interface License {
  /** Unique on the device: the line's id, `factory:<feature>` or `builtin:<feature>`. */
  key: string;
  feature: string;
  version: string;
  type: LicenseLineType;
  store: LicenseStore;
  storeIndex: number;
  /** null: not node-locked (built-in evaluation). */
  lock: { pid: string; sn: string } | null;
  /** null: uncounted. */
  count: number | null;
  /** `None` on built-in evaluation licenses (`License Priority: None`). */
  priority: LicensePriority | 'none';
  /** Metered licenses: the usage period, ms. */
  periodMs?: number;
  /** Subscriptions: calendar validity, epoch ms. */
  startAt?: number;
  endAt?: number;
  /** Evaluation licenses need the EULA accepted before use (extension and grace lines accept it at install). */
  eulaRequired: boolean;
  comment: string;
  /** Installed lines: the signed text, as installed. */
  text?: string;
}

/** The features of a platform, in `show license` order: its levels (or packages), then its feature licenses. */
export function featureNames(platform: PlatformModel): string[] {
  return [...platform.levels.map((l) => l.name), ...platform.features.map((f) => f.name)];
}

/** The UDIs a line may be locked to: the licensing PID (`show license udi`) or the chassis PID, same SN. */
export function lockedHere(lock: { pid: string; sn: string } | null, platform: PlatformModel, udi: Udi): boolean {
  return lock === null || (lock.sn === udi.sn && (lock.pid === udi.pid || lock.pid === platform.licenseUdiPid));
}

/** An installed line as a license of the device. */
export function licenseFromLine(l: LicenseLine, installed: InstalledLicense): License {
  return {
    key: l.id,
    feature: l.feature,
    version: l.version,
    type: l.type,
    store: 'primary',
    storeIndex: installed.storeIndex,
    lock: l.udi,
    count: l.count,
    priority: installed.priority ?? l.priority,
    ...(l.periodSeconds !== null ? { periodMs: l.periodSeconds * 1000 } : {}),
    ...(l.startAt !== null && l.endAt !== null ? { startAt: l.startAt, endAt: l.endAt } : {}),
    eulaRequired: l.type === 'demo' || l.type === 'evalRightToUse',
    comment: installed.comment,
    text: l.text,
  };
}

/**
 * Every license of the device: factory, installed (lines that no longer verify, e.g. signed by a key the
 * device is no longer given, and revoked lines are left out), right-to-use activations, then built-in, in
 * `show license detail` order.
 */
export function licensesOf(
  platform: PlatformModel,
  udi: Udi,
  record: TraditionalRecord,
  trust: LicenseTrust,
  timers: TraditionalTimers,
): License[] {
  const lock = { pid: platform.licenseUdiPid ?? udi.pid, sn: udi.sn };
  const factory: License = {
    key: `factory:${platform.defaultLevel}`,
    feature: platform.defaultLevel,
    version: '1.0',
    type: 'permanent',
    store: 'primary',
    storeIndex: 0,
    lock,
    count: null,
    priority: 'medium',
    eulaRequired: false,
    comment: '',
  };
  // Revoked lines (rehost) stay in the record but are no license of the device any more.
  const installed = record.installed.flatMap((i): License[] => {
    if (i.revoked) return [];
    const parsed = parseLicenseLine(i.text, trust);
    return parsed.ok && lockedHere(parsed.value.udi, platform, udi) ? [licenseFromLine(parsed.value, i)] : [];
  });
  const rightToUse = activeActivations(record).map((a) => rtuLicense(a, lock, timers.rtuEvaluationPeriod));
  const counted = new Set(platform.features.filter((f) => f.counted).map((f) => f.name));
  // Right-to-Use images have no built-in evaluation of their levels: an RTU evaluation is activated instead.
  const rtuLevels = new Set(platform.rightToUse ? platform.levels.map((l) => l.name) : []);
  const builtin = featureNames(platform)
    .filter((f) => f !== platform.defaultLevel && !rtuLevels.has(f))
    .map((feature, i): License => ({
      key: `builtin:${feature}`,
      feature,
      version: '1.0',
      type: 'demo',
      store: 'builtin',
      storeIndex: i + 1,
      lock: null,
      count: counted.has(feature) ? 0 : null,
      priority: 'none',
      periodMs: timers.evaluationPeriod,
      eulaRequired: true,
      comment: '',
    }));
  return [factory, ...installed, ...rightToUse, ...builtin];
}

export const isMetered = (l: License): boolean => meteredTypes.includes(l.type);
export const isSubscription = (l: License): boolean => subscriptionTypes.includes(l.type);

/** Usage banked for a metered license. */
export const usedOf = (record: TraditionalRecord, l: License): number => record.usedMs[l.key] ?? 0;

export function hasExpired(record: TraditionalRecord, l: License, deviceNow: number): boolean {
  if (isMetered(l)) return usedOf(record, l) >= (l.periodMs ?? 0);
  if (isSubscription(l)) return deviceNow >= (l.endAt ?? 0) || deviceNow < (l.startAt ?? 0);
  return false;
}

/** May serve its feature at the next boot: not expired, and its EULA accepted where one is needed. */
export function usable(record: TraditionalRecord, l: License, deviceNow: number): boolean {
  return !hasExpired(record, l, deviceNow) && (!l.eulaRequired || record.eulaAccepted);
}

const PRIORITY_RANK: Record<License['priority'], number> = { high: 0, medium: 1, low: 2, none: 3 };

/**
 * License priority (`License Priority:`, `license modify priority`): unmetered licenses first (a permanent
 * one makes the evaluation of its feature `Inactive`), then by priority, then installed before built-in.
 */
export function byPreference(a: License, b: License): number {
  return (
    Number(isMetered(a)) - Number(isMetered(b)) ||
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    Number(a.store === 'builtin') - Number(b.store === 'builtin')
  );
}

/**
 * The license a boot would run `level` on: the preferred usable license of that level or of a level that
 * includes it (an ipservices license runs ipbase), or undefined.
 */
export function licenseForLevel(
  platform: PlatformModel,
  licenses: readonly License[],
  record: TraditionalRecord,
  deviceNow: number,
  level: string,
): License | undefined {
  const covering = new Set(
    platform.levels.filter((l) => l.name === level || l.includes?.includes(level)).map((l) => l.name),
  );
  return licenses.filter((l) => covering.has(l.feature) && usable(record, l, deviceNow)).sort(byPreference)[0];
}
