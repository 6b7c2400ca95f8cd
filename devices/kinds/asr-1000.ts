/**
 * ASR 1001-X / 1002-X (IOS XE). 3.x: CSL Right-to-Use (`License Type: RightToUse`, `License Level:
 * advipservices`, S-GENIE asr1k); Smart Licensing on 16.x — offered next to RTU on 16.9 (partly
 * confirmed), the only mode from 16.12 (unconfirmed). Image levels ipbase / advipservices / adventerprise;
 * feature licences ipsec, firewall and throughput upgrades (names from the real `show license` list, §C.2;
 * which upgrade each chassis takes — 1001-X 2.5G base, 1002-X 5G base — is unconfirmed).
 * Real serials: ASR1001-X FXS2012Q3VH / FOX1832P4XY; image asr1001x-universalk9.16.09.08.SPA.bin.
 */
import { catalogueTag } from './catalogue-tag.ts';
import type { PlatformFamily, PlatformModel, SoftwareRelease } from './platform.ts';
import { slpReleases } from './slp-releases.ts';

function releases(image: 'asr1001x' | 'asr1002x'): readonly SoftwareRelease[] {
  return [
    {
      version: '03.16.10.S',
      os: 'IOS XE',
      image: `${image}-universalk9.03.16.10.S.155-3.S10-ext.SPA.bin`,
      modes: ['traditional'],
      defaultMode: 'traditional',
    },
    {
      version: '16.9.8',
      os: 'IOS XE',
      image: `${image}-universalk9.16.09.08.SPA.bin`,
      modes: ['traditional', 'smart'],
      defaultMode: 'traditional',
    },
    {
      version: '16.12.5',
      os: 'IOS XE',
      image: `${image}-universalk9.16.12.05.SPA.bin`,
      modes: ['smart'],
      defaultMode: 'smart',
    },
    ...slpReleases(['17.3.4a', '17.6.5', '17.9.4a', '17.12.4'], (v) => `${image}-universalk9.${v}.SPA.bin`),
  ];
}

function model(
  pid: 'ASR1001-X' | 'ASR1002-X',
  formFactor: string,
  throughput: { name: string; tag: string },
): PlatformModel {
  return {
    pid,
    family: 'asr-1000',
    // `cisco ASR1001-X (1NG) processor`, `cisco ASR1002-X (2RU) processor` (seen in real outputs).
    description: `cisco ${pid} (${formFactor}) processor`,
    vid: 'V07',
    defaultHostname: 'Router',
    levelModel: 'image-level',
    levels: [
      { name: 'ipbase', entitlementTag: catalogueTag(`${pid}_IPBase`) },
      { name: 'advipservices', entitlementTag: catalogueTag('ASR_1000_AdvIpservices'), includes: ['ipbase'] },
      {
        name: 'adventerprise',
        entitlementTag: catalogueTag(`${pid}_AdvEnterprise`),
        includes: ['advipservices', 'ipbase'],
      },
    ],
    defaultLevel: 'ipbase',
    features: [
      { name: 'ipsec', entitlementTag: catalogueTag('ASR_1000_IPSec') },
      { name: 'firewall', entitlementTag: catalogueTag('ASR_1000_Firewall') },
      { name: throughput.name, entitlementTag: catalogueTag(throughput.tag) },
    ],
    releases: releases(pid === 'ASR1001-X' ? 'asr1001x' : 'asr1002x'),
    defaultRelease: '16.9.8',
    serialPrefixes: ['FXS', 'FOX'],
  };
}

export const asr1000: PlatformFamily = {
  id: 'asr-1000',
  name: 'ASR 1000 (1001-X / 1002-X)',
  models: [
    model('ASR1001-X', '1NG', { name: 'throughput_10g', tag: 'ASR1001-X_10G_Throughput' }),
    model('ASR1002-X', '2RU', { name: 'throughput_5g_to_10g', tag: 'ASR1002-X_5G_To_10G_Throughput' }),
  ],
};
