/**
 * Boot-level (image) licensing, enforced at reload for every licensing model: the level saved with
 * `license boot level` (or, on ISR G2, `license boot module … technology-package`) is the one that runs
 * after the next boot, and a saved level the model does not know falls back to its default. Traditional
 * licensing also needs a license for it (S-CSAOV "Image licenses are enforced only during boot time"):
 * the saved level if licensed, else the highest level below it that is, else the default; a license of a
 * higher level licenses the levels it includes. The running level decides which entitlements Smart
 * Licensing requests.
 */
import type { StartupConfig } from '../device-record.ts';
import { checkBootLevel, entitlementsFor } from '../kinds/registry.ts';
import type { PlatformModel } from '../kinds/platform.ts';
import type { SmartEntitlement } from './smart-context.ts';

export interface RunningLevel {
  level: string;
  addon?: string;
  /** Traditional licensing: the key of the license the level runs on. */
  license?: string;
}

/** The key of the license that lets `level` run, or undefined when none does. */
export type LevelLicenser = (level: string) => string | undefined;

/** The saved level, then the levels it includes from the highest down, then the default. */
function fallbackOrder(platform: PlatformModel, level: string): string[] {
  const included = platform.levels.find((l) => l.name === level)?.includes ?? [];
  const below = platform.levels.map((l) => l.name).filter((n) => included.includes(n));
  return [level, ...below.reverse(), platform.defaultLevel];
}

/** Without a licenser (Smart Licensing) any valid level runs; the cloud's authorization is another matter. */
export function enforceBootLevel(
  platform: PlatformModel,
  startup: StartupConfig,
  licenser?: LevelLicenser,
): RunningLevel {
  const saved = checkBootLevel(platform, startup.bootLevel, startup.addon);
  const level = saved.ok ? saved.level : platform.defaultLevel;
  if (!licenser) return { level, ...(saved.ok && saved.addon ? { addon: saved.addon } : {}) };
  for (const candidate of fallbackOrder(platform, level)) {
    const license = licenser(candidate);
    if (license !== undefined) return { level: candidate, license };
  }
  return { level: platform.defaultLevel };
}

export function entitlementsInUse(platform: PlatformModel, running: RunningLevel): SmartEntitlement[] {
  return entitlementsFor(platform, running).map(({ tag, count, feature, exportControlled }) => ({
    tag,
    count,
    feature,
    exportControlled,
  }));
}
