/**
 * Catalyst 9200 / 9200L (IOS XE 16.9+, Smart Licensing only; smart-licensing.md §1, C9K-ANSIBLE capture of
 * a C9200L stack on 16.9.1). ARM platform, lite image: `cisco C9200L-24T-4G (ARM64) processor (revision V0)`.
 * The 9200 uses the C9200_* tags, the 9200L the C9200L-*-24 tags (short names as the 16.9.1 capture prints
 * them, §4.3); UUIDs are lab-made.
 */
import { catalogueTag } from './catalogue-tag.ts';
import { catalyst9000Levels } from './catalyst-9000-levels.ts';
import type { PlatformFamily, PlatformModel, SoftwareRelease } from './platform.ts';
import { slpReleases } from './slp-releases.ts';

const releases: readonly SoftwareRelease[] = [
  {
    version: '16.9.5',
    os: 'IOS XE',
    image: 'cat9k_lite_iosxe.16.09.05.SPA.bin',
    modes: ['smart'],
    defaultMode: 'smart',
  },
  {
    version: '16.12.4',
    os: 'IOS XE',
    image: 'cat9k_lite_iosxe.16.12.04.SPA.bin',
    modes: ['smart'],
    defaultMode: 'smart',
  },
  ...slpReleases(['17.3.4', '17.6.5', '17.9.4', '17.12.4'], (v) => `cat9k_lite_iosxe.${v}.SPA.bin`),
];

const c9200 = catalyst9000Levels({
  networkEssentials: catalogueTag('C9200_NW_Essentials'),
  networkAdvantage: catalogueTag('C9200_NW_Advantage'),
  dnaEssentials: catalogueTag('C9200_DNA_Essentials'),
  dnaAdvantage: catalogueTag('C9200_DNA_Advantage'),
});
const c9200l = catalyst9000Levels({
  networkEssentials: catalogueTag('C9200L-NW-E-24'),
  networkAdvantage: catalogueTag('C9200L-NW-A-24'),
  dnaEssentials: catalogueTag('C9200L-DNA-E-24'),
  dnaAdvantage: catalogueTag('C9200L-DNA-A-24'),
});

// Site prefixes JAE/FOC seen on 9200L units (partly confirmed); VIDs unconfirmed.
function model(pid: string, licensing: typeof c9200): PlatformModel {
  return {
    pid,
    family: 'catalyst-9200',
    description: `cisco ${pid} (ARM64) processor (revision V0)`,
    vid: 'V01',
    defaultHostname: 'Switch',
    levelModel: 'image-level',
    ...licensing,
    defaultLevel: 'network-essentials',
    defaultAddon: 'dna-essentials',
    features: [],
    releases,
    defaultRelease: '16.12.4',
    serialPrefixes: ['JAE', 'FOC'],
  };
}

export const catalyst9200: PlatformFamily = {
  id: 'catalyst-9200',
  name: 'Catalyst 9200',
  models: [
    model('C9200-24P', c9200),
    model('C9200-48P', c9200),
    model('C9200L-24T-4G', c9200l),
    model('C9200L-24P-4G', c9200l),
  ],
};
