/**
 * An image upgrade (or downgrade): another release of the same platform, chosen now and run from the next
 * reload, like `boot system flash:<image>` saved with `write memory`. The choice is kept in the startup
 * configuration (`bootImage`), so it survives a lab restart; the trusted storage (licenses, EULA, usage,
 * history, flash files) is the box's, not the image's, and is kept as it is. The release booted picks the
 * licensing model (kinds/licensing-mode.ts): a maintenance upgrade keeps it; an upgrade into a Smart-only
 * release (ISR 4000 16.10+, Catalyst 3650/3850 16.9+) boots Smart Licensing with the traditional licenses
 * still in storage, for `license smart conversion start`; classic Smart to 17.x converts to SLP keeping
 * what it holds (licensing/slp-conversion.ts).
 */
import type { PlatformModel, SoftwareRelease } from './kinds/platform.ts';

export type ImageCheck = { ok: true; release: SoftwareRelease } | { ok: false; error: string };

/** The release `version` names on this platform, or IOS-style refusal text listing what it offers. */
export function checkImage(platform: PlatformModel, version: string): ImageCheck {
  const release = platform.releases.find((r) => r.version === version);
  const offered = platform.releases.map((r) => `${r.version} (${r.image})`).join(', ');
  if (!release)
    return { ok: false, error: `% No image of release ${version} for ${platform.pid}; releases: ${offered}` };
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
