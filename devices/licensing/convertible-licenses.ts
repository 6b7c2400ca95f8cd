/**
 * What a device-led conversion (`license smart conversion start`, seed 004) names: the traditional licenses
 * a box kept in its trusted storage from the image that ran them. PAK lines installed from license files,
 * and Right-to-Use activations (no signed line); each for the Smart entitlement tag of its level or feature.
 * The factory license, evaluations and licenses that no longer serve (expired, revoked) do not convert.
 */
import type { ConvertedLicense, LicenseLineType, LicenseTrust, Udi } from '#protocol';
import type { PlatformModel } from '../kinds/platform.ts';
import { licensesOf, usable } from './traditional-licenses.ts';
import type { TraditionalRecord } from './traditional-record.ts';
import { resolveTraditionalTimers } from './traditional-timers.ts';

const CONVERTIBLE: readonly LicenseLineType[] = ['permanent', 'rightToUse', 'permanentRightToUse'];

function smartTagOf(platform: PlatformModel, feature: string): string | undefined {
  return (
    platform.levels.find((l) => l.name === feature)?.entitlementTag ??
    platform.features.find((f) => f.name === feature)?.entitlementTag
  );
}

export function convertibleLicenses(
  platform: PlatformModel,
  udi: Udi,
  record: TraditionalRecord,
  trust: LicenseTrust,
  deviceNow: number,
): ConvertedLicense[] {
  return licensesOf(platform, udi, record, trust, resolveTraditionalTimers())
    .filter((l) => l.store === 'primary' && !l.key.startsWith('factory:') && CONVERTIBLE.includes(l.type))
    .filter((l) => usable(record, l, deviceNow))
    .flatMap((l) => {
      const tag = smartTagOf(platform, l.feature);
      return tag
        ? [{ feature: l.feature, tag, source: l.text === undefined ? ('RTU' as const) : ('PAK' as const) }]
        : [];
    });
}
