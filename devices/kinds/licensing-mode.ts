/**
 * Which licensing model a device runs after a boot: the release's only mode (17.x: Smart Licensing Using
 * Policy), or on a dual-mode release (ASR 903/920 and ASR 1000 on 16.9) its default until `license smart
 * enable` is saved and the device reloads (`no license smart enable` + reload goes back).
 */
import type { LicensingMode, SoftwareRelease } from './platform.ts';

export function licensingModeAtBoot(release: SoftwareRelease, smartEnabled: boolean): LicensingMode {
  if (release.modes.includes('slp')) return 'slp';
  if (!release.modes.includes('smart')) return 'traditional';
  return release.defaultMode === 'smart' || smartEnabled ? 'smart' : 'traditional';
}
