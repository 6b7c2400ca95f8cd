/**
 * IOS XE 17.x releases, which run Smart Licensing Using Policy only (smart-licensing.md §1, §9.1: SLP from
 * 17.3.2; classic Smart Licensing up to 17.3.1). Image names follow the family's 16.x pattern with the
 * zero-padded 17.x version (`cat9k_iosxe.17.09.04.SPA.bin`, `isr4400-universalk9.17.12.04.SPA.bin`).
 */
import type { SoftwareRelease } from './platform.ts';

/** `17.9.4a` → `17.09.04a`, as image names spell the version. */
function padded(version: string): string {
  return version.replace(/\.(\d+)/g, (_, n: string) => `.${n.padStart(2, '0')}`);
}

/** One SLP release per version; `image(v)` builds the image name from the padded version. */
export function slpReleases(versions: readonly string[], image: (padded: string) => string): SoftwareRelease[] {
  return versions.map((version) => ({
    version,
    os: 'IOS XE',
    image: image(padded(version)),
    modes: ['slp'],
    defaultMode: 'slp',
  }));
}
