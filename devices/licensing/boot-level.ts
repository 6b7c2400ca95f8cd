/**
 * Boot-level (image) licensing, enforced at reload for every licensing model: the level saved with
 * `license boot level` is the one that runs after the next boot, a saved level the model does not know
 * falls back to its default, and the running level decides which entitlements the agent requests.
 */
import type { StartupConfig } from '../device-record.ts';
import { checkBootLevel, entitlementsFor } from '../kinds/registry.ts';
import type { PlatformModel } from '../kinds/platform.ts';
import type { SmartEntitlement } from './smart-context.ts';

export interface RunningLevel {
  level: string;
  addon?: string;
}

export function enforceBootLevel(platform: PlatformModel, startup: StartupConfig): RunningLevel {
  const saved = checkBootLevel(platform, startup.bootLevel, startup.addon);
  if (!saved.ok) return { level: platform.defaultLevel };
  return { level: saved.level, ...(saved.addon ? { addon: saved.addon } : {}) };
}

export function entitlementsInUse(platform: PlatformModel, running: RunningLevel): SmartEntitlement[] {
  return entitlementsFor(platform, running).map(({ tag, count, feature, exportControlled }) => ({
    tag,
    count,
    feature,
    exportControlled,
  }));
}
