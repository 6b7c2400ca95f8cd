/**
 * Catalyst 9000 licence structure, shared by the 9200 and 9300 families: a perpetual base level and a
 * DNA subscription add-on, `license boot level {network-essentials | network-advantage} [addon
 * {dna-essentials | dna-advantage}]` (traditional-licensing-snmp-platforms.md §A.4, §C.2). Essentials pairs
 * with essentials and advantage with advantage (`addon ?` offers only the matching one: partly confirmed).
 * Both the base level and the add-on request their own tag (smart-licensing.md §4.8 shows both IN USE).
 */
import type { LicenseLevel } from './platform.ts';

export interface Catalyst9000Tags {
  networkEssentials: string;
  networkAdvantage: string;
  dnaEssentials: string;
  dnaAdvantage: string;
}

export function catalyst9000Levels(tags: Catalyst9000Tags): {
  levels: readonly LicenseLevel[];
  addons: readonly LicenseLevel[];
} {
  return {
    levels: [
      { name: 'network-essentials', entitlementTag: tags.networkEssentials },
      { name: 'network-advantage', entitlementTag: tags.networkAdvantage, includes: ['network-essentials'] },
    ],
    addons: [
      { name: 'dna-essentials', entitlementTag: tags.dnaEssentials, addonFor: ['network-essentials'] },
      {
        name: 'dna-advantage',
        entitlementTag: tags.dnaAdvantage,
        includes: ['dna-essentials'],
        addonFor: ['network-advantage'],
      },
    ],
  };
}
