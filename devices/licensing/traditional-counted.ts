/**
 * Counted licenses and pay-as-you-grow (seed 001 "Uncounted or Counted Licenses", "Pay as You Grow Model";
 * traditional-licensing-snmp-platforms.md §A.1, §A.2 `License Count:`, §A.9, §C.3): a counted feature
 * (ISR 4000 / ISR G2 `cme-srst` seats, ASR 900 `oc3` / `oc12` ports, ASR 920 10GE upgrades) may serve as
 * many entities as its usable licenses' counts add up to; buying another counted license adds its units
 * (the portal's FL-CME-SRST-25 gives 25 seats). Entities are taken and given back by the lab
 * (`license.usage`, the IP phones registering); one beyond the licensed count is refused and nothing
 * changes. clmgmtLicenseUsageCountAboutToExceed when usage reaches 80 % of the count, clmgmtLicenseUsageCountExceeded
 * when it reaches the count (A.9).
 *
 * Lab choices: usage lives in the running agent (entities register again after a reload, so a boot starts
 * at 0); licenses of a feature add up (`License Addition` is Exclusive on node-locked lines, but
 * pay-as-you-grow means added capacity); usage above the count (a counted license cleared while in use) is
 * the Violation the `License Count:` line prints.
 */
import type { PlatformModel } from '../kinds/platform.ts';
import { byPreference, usable, type License } from './traditional-licenses.ts';
import type { TraditionalRecord } from './traditional-record.ts';

/** A.9: "when usage reaches 80 % of max count". */
export const ABOUT_TO_EXCEED_RATIO = 0.8;

export interface CountedUsage {
  /** Units the usable licenses of the feature add up to. */
  licensed: number;
  inUse: number;
  /** The license the usage is reported on (the preferred usable one with units, else the first counted one). */
  license: License | undefined;
}

export function countedUsage(
  licenses: readonly License[],
  record: TraditionalRecord,
  deviceNow: number,
  feature: string,
  inUse: number,
): CountedUsage {
  const counted = licenses.filter((l) => l.feature === feature && l.count !== null);
  const live = counted.filter((l) => usable(record, l, deviceNow));
  const licensed = live.reduce((n, l) => n + (l.count ?? 0), 0);
  const license = [...live].filter((l) => (l.count ?? 0) > 0).sort(byPreference)[0] ?? counted[0];
  return { licensed, inUse, license };
}

/** clmgmtFeatureWhatIsCounted: the platform's word for what a feature counts, else its name. */
export function whatIsCounted(platform: PlatformModel, feature: string): string {
  return platform.features.find((f) => f.name === feature)?.whatIsCounted ?? feature;
}

export type UsageCheck = { ok: true; feature: string; usage: CountedUsage } | { ok: false; error: string };

/** `units` more (or, negative, fewer) entities of a counted feature: within 0 … licensed, or refused. */
export function checkUsage(
  platform: PlatformModel,
  licenses: readonly License[],
  record: TraditionalRecord,
  deviceNow: number,
  inUse: Readonly<Record<string, number>>,
  request: { feature: string; units: number },
): UsageCheck {
  const counted = platform.features.filter((f) => f.counted).map((f) => f.name);
  const feature = counted.find((f) => f.toLowerCase() === request.feature.toLowerCase());
  if (feature === undefined)
    return {
      ok: false,
      error: `% Feature ${request.feature} is not a counted license here; counted: ${counted.join(', ') || 'none'}`,
    };
  if (!Number.isInteger(request.units) || request.units === 0)
    return { ok: false, error: `% Invalid count ${request.units}: a whole number of entities, not 0` };
  const before = countedUsage(licenses, record, deviceNow, feature, inUse[feature] ?? 0);
  const after = before.inUse + request.units;
  if (after < 0)
    return {
      ok: false,
      error: `% Feature ${feature} has ${before.inUse} in use; ${-request.units} cannot be released`,
    };
  if (request.units > 0 && after > before.licensed)
    return {
      ok: false,
      error: `% Feature ${feature} count exceeded: ${after} would be in use, ${before.licensed} licensed`,
    };
  return { ok: true, feature, usage: { ...before, inUse: after } };
}

/** Which of the two notifications a change from `before` to `after` in use crosses into (A.9), if any. */
export function usageCrossing(
  before: number,
  after: number,
  licensed: number,
): 'exceeded' | 'aboutToExceed' | undefined {
  if (licensed <= 0 || after <= before) return undefined;
  if (after >= licensed) return 'exceeded';
  const threshold = Math.ceil(licensed * ABOUT_TO_EXCEED_RATIO);
  return before < threshold && after >= threshold ? 'aboutToExceed' : undefined;
}

/**
 * How `show license` spreads a feature's usage over its licenses: each usable one filled up to its count
 * in preference order; what is left over is the Violation of the last one (or of the first counted one).
 */
export function allocateUsage(
  licenses: readonly License[],
  record: TraditionalRecord,
  deviceNow: number,
  feature: string,
  inUse: number,
): Map<string, { countInUse: number; countViolation: number }> {
  const counted = licenses.filter((l) => l.feature === feature && l.count !== null);
  const live = counted.filter((l) => usable(record, l, deviceNow) && (l.count ?? 0) > 0).sort(byPreference);
  const shares = new Map<string, { countInUse: number; countViolation: number }>();
  let left = inUse;
  for (const l of live) {
    const take = Math.min(left, l.count ?? 0);
    shares.set(l.key, { countInUse: take, countViolation: 0 });
    left -= take;
  }
  const last = live.at(-1) ?? counted[0];
  if (left > 0 && last) {
    const share = shares.get(last.key) ?? { countInUse: 0, countViolation: 0 };
    shares.set(last.key, { countInUse: share.countInUse + left, countViolation: left });
  }
  return shares;
}
