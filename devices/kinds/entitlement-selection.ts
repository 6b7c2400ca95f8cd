/**
 * What a smart-licensed device asks the cloud to authorize: the tag of its running level, of its add-on
 * and of each feature in use. Only the running level's tag, not those of the levels it includes: a
 * network-advantage switch shows one `network-advantage` line in `show license summary`, never a
 * network-essentials one (smart-licensing.md §4.3, §4.8). Traditional-only models request nothing.
 */
import { checkBootLevel } from './boot-level.ts';
import type { FeatureLicense, PlatformModel } from './platform.ts';

export interface EntitlementSelection {
  level: string;
  addon?: string;
  /** Features in use; `count` for counted ones (cme-srst seats, oc3 ports), default 1; 0 means not in use. */
  features?: readonly { name: string; count?: number }[];
}

export interface RequestedEntitlement {
  tag: string;
  count: number;
  /** Level, add-on or feature keyword as the model names it. */
  feature: string;
  exportControlled: boolean;
}

function featureRequest(
  model: PlatformModel,
  name: string,
  count: number | undefined,
): { license: FeatureLicense; count: number } {
  const license = model.features.find((f) => f.name.toLowerCase() === name.toLowerCase());
  if (!license)
    throw new Error(
      `feature "${name}" is not licensed on ${model.pid}; valid: ${model.features.map((f) => f.name).join(', ') || 'none'}`,
    );
  const n = count ?? 1;
  if (!Number.isInteger(n) || n < 0) throw new Error(`feature ${license.name}: count ${n} must be a whole number ≥ 0`);
  if (!license.counted && n > 1)
    throw new Error(`feature ${license.name} is not counted on ${model.pid}; count ${n} must be 0 or 1`);
  return { license, count: n };
}

export function entitlementsFor(model: PlatformModel, selection: EntitlementSelection): RequestedEntitlement[] {
  const check = checkBootLevel(model, selection.level, selection.addon);
  if (!check.ok) throw new Error(check.error);
  const chosen = [model.levels.find((l) => l.name === check.level), model.addons?.find((a) => a.name === check.addon)];
  const out: RequestedEntitlement[] = [];
  for (const level of chosen) {
    if (level?.entitlementTag)
      out.push({ tag: level.entitlementTag, count: 1, feature: level.name, exportControlled: false });
  }
  const seen = new Set<string>();
  for (const f of selection.features ?? []) {
    const { license, count } = featureRequest(model, f.name, f.count);
    if (seen.has(license.name)) throw new Error(`feature ${license.name} is listed twice`);
    seen.add(license.name);
    if (count > 0 && license.entitlementTag)
      out.push({
        tag: license.entitlementTag,
        count,
        feature: license.name,
        exportControlled: license.exportControlled === true,
      });
  }
  return out;
}
