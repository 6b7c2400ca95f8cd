/**
 * Family modules name entitlement tags by their short name (`ISR_4331_Security`) and take the full tag
 * from the shared catalogue (cloud-mock/protocol/entitlements.ts), so a device can only request tags the
 * cloud keeps pools of. A typo fails when the module loads, not when a device first authorizes.
 */
import { entitlementCatalogue, tagShortName } from '#protocol';

const byShortName = new Map(entitlementCatalogue.map((e) => [tagShortName(e.tag), e.tag]));

export function catalogueTag(shortName: string): string {
  const tag = byShortName.get(shortName);
  if (!tag)
    throw new Error(
      `devices/kinds: no entitlement "${shortName}" in #protocol entitlementCatalogue; known: ${[...byShortName.keys()].join(', ')}`,
    );
  return tag;
}
