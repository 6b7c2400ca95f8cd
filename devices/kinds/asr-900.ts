/**
 * ASR 900 family: ASR 903 (modular, here with RSP3-400) and ASR 920 (fixed). IOS XE; CSL with
 * EvalRightToUse built-ins, then Smart Licensing on 16.x. The 16.9 train ran both: a real ASR-903 on
 * 16.9.1a shows `License Type: Permanent` (S-ASR903), a real ASR-920-24SZ-M on 16.9.5f `License Type:
 * Smart License` (S-GENIE); smart-only from 16.12 is unconfirmed. Levels are image levels
 * (`license boot level <level>`); feature licences are counted ports (`oc3 4/4/0 (Active/In-use/Violation)`).
 * Sources: traditional-licensing-snmp-platforms.md §A.5.2, §A.5.6, §C.2.
 */
import { catalogueTag } from './catalogue-tag.ts';
import type { PlatformFamily, PlatformModel, SoftwareRelease } from './platform.ts';
import { slpReleases } from './slp-releases.ts';

// Image names unconfirmed (npe = no payload encryption builds, usual on these routers).
function releases(image: string, defaultMode16: 'traditional' | 'smart'): readonly SoftwareRelease[] {
  return [
    {
      version: '16.9.1a',
      os: 'IOS XE',
      image: `${image}.16.09.01a.SPA.bin`,
      modes: ['traditional', 'smart'],
      defaultMode: defaultMode16,
    },
    { version: '16.12.4', os: 'IOS XE', image: `${image}.16.12.04.SPA.bin`, modes: ['smart'], defaultMode: 'smart' },
    // SLP on the ASR 900 17.x train (RSP3, ASR 920) is unconfirmed per platform, like the 16.x modes above.
    ...slpReleases(['17.6.5', '17.9.4'], (v) => `${image}.${v}.SPA.bin`),
  ];
}

const asr903: PlatformModel = {
  pid: 'ASR-903',
  family: 'asr-900',
  description: 'cisco ASR-903 (RSP3_400) processor (revision RSP3_400)',
  vid: 'V01',
  defaultHostname: 'Router',
  levelModel: 'image-level',
  // Confirmed levels (S-ASR903); the factory default level is unconfirmed.
  levels: [
    { name: 'metroservices', entitlementTag: catalogueTag('ASR903_MetroServices') },
    { name: 'metroipservices', entitlementTag: catalogueTag('ASR903_MetroIPServices'), includes: ['metroservices'] },
    {
      name: 'metroaggrservices',
      entitlementTag: catalogueTag('ASR903_MetroAggrServices'),
      includes: ['metroipservices', 'metroservices'],
    },
  ],
  defaultLevel: 'metroservices',
  features: [
    { name: 'atm', entitlementTag: catalogueTag('ASR903_ATM') },
    { name: 'oc3', entitlementTag: catalogueTag('ASR903_OC3'), counted: true, whatIsCounted: 'OC-3 ports' },
    { name: 'oc12', entitlementTag: catalogueTag('ASR903_OC12'), counted: true, whatIsCounted: 'OC-12 ports' },
    { name: '1588', entitlementTag: catalogueTag('ASR903_1588') },
  ],
  releases: releases('asr900rsp3-universalk9_npe', 'traditional'),
  defaultRelease: '16.9.1a',
  // Real: FOX2245PFTF (2018 week 45).
  serialPrefixes: ['FOX'],
};

// ASR 920 levels confirmed (S-GENIE, S-YDK); the counted 10GE port upgrade's CLI name is unconfirmed.
function asr920(pid: string): PlatformModel {
  return {
    pid,
    family: 'asr-900',
    description: `cisco ${pid} (Freescale P2020) processor (revision 1.0)`,
    vid: 'V01',
    defaultHostname: 'Router',
    levelModel: 'image-level',
    levels: [
      { name: 'metroaccess', entitlementTag: catalogueTag('ASR920_MetroAccess') },
      { name: 'metroipaccess', entitlementTag: catalogueTag('ASR920_MetroIPAccess'), includes: ['metroaccess'] },
      {
        name: 'advancedmetroipaccess',
        entitlementTag: catalogueTag('ASR920_AdvancedMetroIPAccess'),
        includes: ['metroipaccess', 'metroaccess'],
      },
    ],
    defaultLevel: 'metroaccess',
    features: [{ name: '10GEupgradelicense', entitlementTag: catalogueTag('ASR920_10GE_Upgrade'), counted: true }],
    releases: releases('asr920-universalk9_npe', 'smart'),
    defaultRelease: '16.9.1a',
    // Real: ASR-920-24SZ-M CAT2351V2DV.
    serialPrefixes: ['CAT'],
  };
}

export const asr900: PlatformFamily = {
  id: 'asr-900',
  name: 'ASR 900 (903 / 920)',
  models: [asr903, asr920('ASR-920-24SZ-M'), asr920('ASR-920-12CZ-A')],
};
