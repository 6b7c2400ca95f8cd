/**
 * The one lookup of platform models: every family module is registered here once. PIDs match
 * case-insensitively (operators type `c9300-24p`); an unknown PID fails listing every known one.
 */
import { asr1000 } from './asr-1000.ts';
import { asr900 } from './asr-900.ts';
import { catalyst3650And3850 } from './catalyst-3650-3850.ts';
import { catalyst3kE } from './catalyst-3k-e.ts';
import { catalyst9200 } from './catalyst-9200.ts';
import { catalyst9300 } from './catalyst-9300.ts';
import { isr4000 } from './isr-4000.ts';
import { isr800 } from './isr-800.ts';
import { isrG2 } from './isr-g2.ts';
import type { PlatformFamily, PlatformModel, SoftwareRelease } from './platform.ts';

export { checkBootLevel, type BootLevelCheck } from './boot-level.ts';
export { entitlementsFor, type EntitlementSelection, type RequestedEntitlement } from './entitlement-selection.ts';

const families: readonly PlatformFamily[] = [
  catalyst3kE,
  catalyst3650And3850,
  catalyst9200,
  catalyst9300,
  isr800,
  isrG2,
  isr4000,
  asr900,
  asr1000,
];

const models: readonly PlatformModel[] = families.flatMap((f) => f.models);

const byPid = new Map<string, PlatformModel>();
for (const m of models) {
  const key = m.pid.toUpperCase();
  if (byPid.has(key)) throw new Error(`devices/kinds: PID ${m.pid} is registered twice`);
  byPid.set(key, m);
}

export class UnknownPidError extends Error {
  readonly pid: string;

  constructor(pid: string) {
    super(`unknown PID "${pid}"; known PIDs: ${models.map((m) => m.pid).join(', ')}`);
    this.name = 'UnknownPidError';
    this.pid = pid;
  }
}

export function findPlatform(pid: string): PlatformModel {
  const model = byPid.get(pid.toUpperCase());
  if (!model) throw new UnknownPidError(pid);
  return model;
}

export function allPlatforms(): readonly PlatformModel[] {
  return models;
}

export function allFamilies(): readonly PlatformFamily[] {
  return families;
}

/** The model's release with this `show version` version string, or its default release. */
export function findRelease(model: PlatformModel, version?: string): SoftwareRelease {
  const wanted = version ?? model.defaultRelease;
  const release = model.releases.find((r) => r.version === wanted);
  if (!release)
    throw new Error(
      `software release "${wanted}" is not available for ${model.pid}; valid: ${model.releases.map((r) => r.version).join(', ')}`,
    );
  return release;
}

/** Smart-capable: some release of the model runs Smart Licensing. */
export function isSmartCapable(model: PlatformModel): boolean {
  return model.releases.some((r) => r.modes.includes('smart'));
}
