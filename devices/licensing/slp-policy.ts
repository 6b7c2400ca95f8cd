/**
 * What the policy asks of a device (smart-licensing.md §9.2): which class each license in use belongs to,
 * when the next ACK is due and how often usage is pushed. The working rule is the reference's (inferred):
 * deadline = base + the smallest non-zero applicable interval among the classes in use, where the base is
 * the first use and the interval the first-report requirement until a first ACK, then the last ACK and the
 * reporting frequency. No non-zero interval: no deadline (`<none>`) and no reporting.
 */
import { DAY, DEFAULT_POLICY, type LicenseClass, type Policy } from '#protocol';
import type { PlatformModel } from '../kinds/platform.ts';
import type { SlpConfig } from './slp-config.ts';
import type { SlpRecord } from './slp-record.ts';

export interface SlpEntitlement {
  tag: string;
  /** Level, add-on or feature keyword (`network-advantage`). */
  feature: string;
  count: number;
  class: LicenseClass;
  /** CSSM's name of the license (`C9300 DNA Advantage`), or the keyword when the catalogue has none. */
  description: string;
}

/**
 * Catalyst 9000 add-ons (DNA) are term subscriptions, export-controlled features (hseck9) the export class,
 * everything else an unenforced perpetual license (lab mapping; IOS XE tells them apart by entitlement data).
 */
export function licenseClassOf(
  platform: PlatformModel,
  e: { feature: string; exportControlled: boolean },
): LicenseClass {
  if (e.exportControlled) return 'export';
  if (platform.addons?.some((a) => a.name === e.feature)) return 'unenforced_subscription';
  return 'unenforced_perpetual';
}

/** A license of this class may run only with a SLAC installed (§9.1). */
export const needsAuthorization = (c: LicenseClass): boolean => c === 'enforced' || c === 'export';

export function policyOf(record: SlpRecord): Policy {
  return record.policy?.policy ?? DEFAULT_POLICY;
}

/** Days of the interval now in force, or undefined when nothing needs reporting. */
export function reportingDays(record: SlpRecord, classes: readonly LicenseClass[]): number | undefined {
  const policy = policyOf(record);
  const acked = record.lastAckAt !== undefined;
  const days = classes
    .map((c) => (acked ? policy[c].reporting_frequency : policy[c].first_report))
    .filter((d) => d > 0);
  return days.length === 0 ? undefined : Math.min(...days);
}

/** Lab time of the next ACK deadline, or undefined (`Next ACK deadline: <none>`). */
export function ackDeadline(record: SlpRecord, classes: readonly LicenseClass[]): number | undefined {
  const days = reportingDays(record, classes);
  const base = record.lastAckAt ?? record.firstUseAt;
  return days === undefined || base === undefined ? undefined : base + days * DAY;
}

/** The push interval in ms; 0 is `Reporting push interval: 0 (no reporting)`. */
export function pushIntervalMs(config: SlpConfig, defaultMs: number, deadline: number | undefined): number {
  if (config.usageIntervalDays !== undefined) return config.usageIntervalDays * DAY;
  return deadline === undefined ? 0 : defaultMs;
}
