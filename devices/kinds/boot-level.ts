/**
 * Validation of `license boot level <level> [addon <addon>]` (image-level models) and of
 * `license boot module <module> technology-package <package>` (ISR G2) against a model. Keywords match
 * case-insensitively, as IOS keywords do; the answer carries the canonical keywords to store.
 * Unique-prefix abbreviation (`network-adv`) is the CLI parser's job, not this check's.
 */
import type { LicenseLevel, PlatformModel } from './platform.ts';

export type BootLevelCheck = { ok: true; level: string; addon?: string } | { ok: false; error: string };

const names = (levels: readonly LicenseLevel[]) => levels.map((l) => l.name).join(', ');
const byName = (levels: readonly LicenseLevel[], name: string) =>
  levels.find((l) => l.name.toLowerCase() === name.toLowerCase());

export function checkBootLevel(model: PlatformModel, level: string, addon?: string): BootLevelCheck {
  const packages = model.levelModel === 'technology-package';
  const base = byName(model.levels, level);
  if (!base) {
    const what = packages
      ? `technology package "${level}" for ${model.pid} (module ${model.licenseModule ?? '?'})`
      : `boot level "${level}" for ${model.pid}`;
    return { ok: false, error: `% Invalid ${what}; valid ${packages ? 'packages' : 'levels'}: ${names(model.levels)}` };
  }
  if (addon === undefined) return { ok: true, level: base.name };
  const addons = model.addons ?? [];
  if (addons.length === 0)
    return { ok: false, error: `% Add-on "${addon}" is not valid: ${model.pid} has no add-on licenses` };
  const extra = byName(addons, addon);
  if (!extra)
    return { ok: false, error: `% Invalid add-on "${addon}" for ${model.pid}; valid add-ons: ${names(addons)}` };
  if (extra.addonFor && !extra.addonFor.includes(base.name)) {
    const fitting = addons.filter((a) => !a.addonFor || a.addonFor.includes(base.name));
    return {
      ok: false,
      error: `% Add-on "${extra.name}" needs boot level ${extra.addonFor.join(' or ')}; valid add-ons with ${base.name}: ${names(fitting) || 'none'}`,
    };
  }
  return { ok: true, level: base.name, addon: extra.name };
}
