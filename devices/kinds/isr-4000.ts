/**
 * ISR 4321 / 4331 / 4351 / 4431 / 4451-X (IOS XE). 3.13–16.9: CSL Right-to-Use (EvalRightToUse →
 * RightToUse); 16.10 and later: Smart Licensing only (traditional-licensing-snmp-platforms.md §C.2).
 * Technology packages appxk9, uck9, securityk9 over a permanent ipbasek9 (`show version` module 'esg'),
 * set with `license boot level <package>`; feature licences hseck9 (export-controlled), throughput
 * (`platform hardware throughput level <kbps>`), cme-srst (counted seats).
 *
 * Real ISR 4000s accept one `license boot level` line per package (appxk9 and securityk9 together); the
 * lab runs one level at a time, as PlatformModel's image-level model does. ipbasek9 requests no tag.
 */
import { catalogueTag } from './catalogue-tag.ts';
import type { FeatureLicense, PlatformFamily, PlatformModel, SoftwareRelease } from './platform.ts';
import { slpReleases } from './slp-releases.ts';

const features: readonly FeatureLicense[] = [
  { name: 'hseck9', entitlementTag: catalogueTag('ISR_4400_HSEC'), exportControlled: true },
  { name: 'throughput', entitlementTag: catalogueTag('ISR_4000_Performance') },
  { name: 'cme-srst', entitlementTag: catalogueTag('ISR_4000_CME_SRST'), counted: true, whatIsCounted: 'IP phones' },
];

function releases(image: 'isr4300' | 'isr4400'): readonly SoftwareRelease[] {
  return [
    {
      version: '03.16.10.S',
      os: 'IOS XE',
      image: `${image}-universalk9.03.16.10.S.155-3.S10-ext.SPA.bin`,
      modes: ['traditional'],
      defaultMode: 'traditional',
    },
    // Image name pattern confirmed (isr4300-universalk9.16.09.06.SPA.bin on an ISR4331).
    {
      version: '16.9.6',
      os: 'IOS XE',
      image: `${image}-universalk9.16.09.06.SPA.bin`,
      modes: ['traditional'],
      defaultMode: 'traditional',
    },
    {
      version: '16.12.5',
      os: 'IOS XE',
      image: `${image}-universalk9.16.12.05.SPA.bin`,
      modes: ['smart'],
      defaultMode: 'smart',
    },
    // NTC status4: an ISR4451 on 17.12.4 in SLP (§4.7).
    ...slpReleases(['17.3.4a', '17.6.5', '17.9.4a', '17.12.4'], (v) => `${image}-universalk9.${v}.SPA.bin`),
  ];
}

/** `tagModel` is the number in the tag short names (ISR_4451_Security for the 4451-X). */
function model(
  pid: string,
  tagModel: string,
  formFactor: '1RU' | '2RU',
  serialPrefixes: readonly string[],
): PlatformModel {
  const image = pid.startsWith('ISR43') ? 'isr4300' : 'isr4400';
  return {
    pid,
    family: 'isr-4000',
    // `cisco ISR4331/K9 (1RU) processor`, `cisco ISR4451-X/K9 (2RU) processor` (confirmed).
    description: `cisco ${pid} (${formFactor}) processor`,
    vid: 'V04',
    defaultHostname: 'Router',
    levelModel: 'image-level',
    levels: [
      { name: 'ipbasek9' },
      { name: 'appxk9', entitlementTag: catalogueTag(`ISR_${tagModel}_Application`), includes: ['ipbasek9'] },
      { name: 'uck9', entitlementTag: catalogueTag(`ISR_${tagModel}_UnifiedCommunication`), includes: ['ipbasek9'] },
      { name: 'securityk9', entitlementTag: catalogueTag(`ISR_${tagModel}_Security`), includes: ['ipbasek9'] },
    ],
    defaultLevel: 'ipbasek9',
    features,
    releases: releases(image),
    defaultRelease: '16.12.5',
    serialPrefixes,
  };
}

// Serials seen: ISR4321 FDO221418T8 / FLM2306W0…, ISR4331 FLM/FDO/FTX, ISR4351 FLM2026W18H, ISR4451-X FGL/FJC.
// Form factors of 4351 (2RU) and 4431 (1RU) and the 4431's prefixes are unconfirmed.
export const isr4000: PlatformFamily = {
  id: 'isr-4000',
  name: 'ISR 4000',
  models: [
    model('ISR4321/K9', '4321', '1RU', ['FDO', 'FLM']),
    model('ISR4331/K9', '4331', '1RU', ['FLM', 'FDO', 'FTX']),
    model('ISR4351/K9', '4351', '2RU', ['FLM', 'FDO']),
    model('ISR4431/K9', '4431', '1RU', ['FOC', 'FGL']),
    model('ISR4451-X/K9', '4451', '2RU', ['FGL', 'FJC', 'FLM']),
  ],
};
