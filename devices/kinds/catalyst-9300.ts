/**
 * Catalyst 9300 (IOS XE 16.9+, Smart Licensing only; classic Smart Licensing up to 17.3.1, smart-licensing.md
 * §1). `show version`: `cisco C9300-24P (X86) processor`, technology table `network-advantage  Smart License`,
 * `dna-advantage  Subscription Smart License` (GENIE golden_output_c9300, §A.5.6).
 *
 * Tags: real CSSM keeps one tag per port count (`C9300-24 Network Advan...`, `C9300-48 DNA Advantage`,
 * §4.8); the shared catalogue and the cloud's SKUs (C9300-NW-E-24, C9300-DNA-E-24-3Y) hold one tag per level,
 * so every 9300 requests those: c9300_dna_advantage (real, seen on a C9300-24UX), C9300-DNA-E-48 (real),
 * and the lab-made network-essentials/advantage tags.
 */
import { catalogueTag } from './catalogue-tag.ts';
import { catalyst9000Levels } from './catalyst-9000-levels.ts';
import type { PlatformFamily, PlatformModel, SoftwareRelease } from './platform.ts';
import { slpReleases } from './slp-releases.ts';

const releases: readonly SoftwareRelease[] = [
  { version: '16.9.5', os: 'IOS XE', image: 'cat9k_iosxe.16.09.05.SPA.bin', modes: ['smart'], defaultMode: 'smart' },
  { version: '16.12.4', os: 'IOS XE', image: 'cat9k_iosxe.16.12.04.SPA.bin', modes: ['smart'], defaultMode: 'smart' },
  // GENIE/NTC SLP captures of C9300s run 17.3–17.9; 17.9.5 logs REPORTING_REQUIRED (§5.3).
  ...slpReleases(['17.3.4', '17.6.5', '17.9.4', '17.9.5', '17.12.4'], (v) => `cat9k_iosxe.${v}.SPA.bin`),
];

const licensing = catalyst9000Levels({
  networkEssentials: catalogueTag('essentialsk9-Nyquist-C9300'),
  networkAdvantage: catalogueTag('advantagek9-Nyquist-C9300'),
  dnaEssentials: catalogueTag('C9300-DNA-E-48'),
  dnaAdvantage: catalogueTag('c9300_dna_advantage'),
});

// Serials FCW2223G0B9 (C9300-24P), FCW2303D16Y (C9300-24UX) are real; FOC is the other common site (unconfirmed).
function model(pid: string): PlatformModel {
  return {
    pid,
    family: 'catalyst-9300',
    description: `cisco ${pid} (X86) processor`,
    vid: 'V02',
    defaultHostname: 'Switch',
    levelModel: 'image-level',
    ...licensing,
    // The captured C9300-24P ran network-advantage + dna-advantage.
    defaultLevel: 'network-advantage',
    defaultAddon: 'dna-advantage',
    features: [],
    releases,
    defaultRelease: '16.12.4',
    serialPrefixes: ['FCW', 'FOC'],
  };
}

export const catalyst9300: PlatformFamily = {
  id: 'catalyst-9300',
  name: 'Catalyst 9300',
  models: [model('C9300-24T'), model('C9300-24P'), model('C9300-48P'), model('C9300-24UX'), model('C9300-48U')],
};
