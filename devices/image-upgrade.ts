/**
 * A maintenance image upgrade (or downgrade): another release of the same platform, chosen now and run
 * from the next reload, like `boot system flash:<image>` saved with `write memory`. The choice is kept in
 * the startup configuration (`bootImage`), so it survives a lab restart; the trusted storage (licenses,
 * EULA, usage, history, flash files) is the box's, not the image's, and is kept as it is. Only releases
 * that run the licensing mode the device runs now are accepted: a move between traditional and Smart
 * Licensing is a conversion (`license smart conversion start`), not a maintenance upgrade. The one
 * exception is classic Smart to 17.x: IOS XE converts a Smart device to SLP at its first 17.x boot,
 * keeping what it holds (licensing/slp-conversion.ts).
 */
import type { LicensingMode, PlatformModel, SoftwareRelease } from './kinds/platform.ts';

export type ImageCheck = { ok: true; release: SoftwareRelease } | { ok: false; error: string };

/** The release `version` names on this platform, or IOS-style refusal text listing what it offers. */
export function checkImage(platform: PlatformModel, mode: LicensingMode, version: string): ImageCheck {
  const release = platform.releases.find((r) => r.version === version);
  const offered = platform.releases.map((r) => `${r.version} (${r.image})`).join(', ');
  if (!release)
    return { ok: false, error: `% No image of release ${version} for ${platform.pid}; releases: ${offered}` };
  const toSlp = mode === 'smart' && release.modes.includes('slp');
  if (!release.modes.includes(mode) && !toSlp)
    return {
      ok: false,
      error: `% Release ${version} does not run ${mode} licensing (it runs ${release.modes.join(', ')}); a maintenance upgrade keeps the licensing mode`,
    };
  return { ok: true, release };
}

/**
 * The release a boot runs: the one the startup configuration names, else the one the device was built
 * with. A name this platform no longer offers (a record from another build) falls back to the built one.
 */
export function releaseAtBoot(
  platform: PlatformModel,
  built: SoftwareRelease,
  bootImage: string | undefined,
): SoftwareRelease {
  return platform.releases.find((r) => r.version === bootImage) ?? built;
}
