/**
 * ISR G2 1900 / 2900 / 3900 (IOS 15.x universal image, traditional licensing only). Technology packages
 * on top of an always-permanent ipbasek9, each independently permanent / evaluation / RTU / disabled:
 * `license boot module c2900 technology-package securityk9` + reload; `show version` "Technology Package
 * License Information for Module:'c2900'" (rows ipbase/security/uc/data; the 1900 has no uc row).
 * Sources: traditional-licensing-snmp-platforms.md §A.4, §A.5.5–A.5.6, §C.2.
 */
import type { FeatureLicense, LicenseLevel, PlatformFamily, PlatformModel, SoftwareRelease } from './platform.ts';

function packages(withUc: boolean): readonly LicenseLevel[] {
  return [{ name: 'ipbasek9' }, { name: 'securityk9' }, ...(withUc ? [{ name: 'uck9' }] : []), { name: 'datak9' }];
}

// hseck9 and counted cme-srst confirmed; SSL_VPN counted is unconfirmed (§C.2).
function features(withUc: boolean): readonly FeatureLicense[] {
  return [
    { name: 'hseck9', exportControlled: true },
    { name: 'SSL_VPN', counted: true },
    ...(withUc ? [{ name: 'cme-srst', counted: true, whatIsCounted: 'IP phones' }] : []),
  ];
}

function releases(image: 'c1900' | 'c2900' | 'c3900'): readonly SoftwareRelease[] {
  return [
    {
      version: '15.1(4)M4',
      os: 'IOS',
      image: `${image}-universalk9-mz.SPA.151-4.M4.bin`,
      modes: ['traditional'],
      defaultMode: 'traditional',
    },
    {
      version: '15.7(3)M5',
      os: 'IOS',
      image: `${image}-universalk9-mz.SPA.157-3.M5.bin`,
      modes: ['traditional'],
      defaultMode: 'traditional',
    },
  ];
}

interface G2 {
  pid: string;
  description: string;
  module: string;
  image: 'c1900' | 'c2900' | 'c3900';
  serialPrefixes: readonly string[];
  licenseUdiPid?: string;
}

function model(g: G2): PlatformModel {
  const withUc = g.image !== 'c1900';
  return {
    pid: g.pid,
    family: 'isr-g2',
    description: g.description,
    vid: 'V05',
    ...(g.licenseUdiPid ? { licenseUdiPid: g.licenseUdiPid } : {}),
    defaultHostname: 'Router',
    levelModel: 'technology-package',
    levels: packages(withUc),
    defaultLevel: 'ipbasek9',
    features: features(withUc),
    releases: releases(g.image),
    defaultRelease: '15.7(3)M5',
    // Real: 2911 JTV1635T41W / FTX152410Y6, 2951 FHH1216P07R, 3925 FHH13030044, 3945 FGL161010K8.
    serialPrefixes: g.serialPrefixes,
    licenseModule: g.module,
  };
}

export const isrG2: PlatformFamily = {
  id: 'isr-g2',
  name: 'ISR G2 (1900 / 2900 / 3900)',
  models: [
    model({
      pid: 'CISCO1941/K9',
      description: 'Cisco CISCO1941/K9 (revision 1.0)',
      module: 'c1900',
      image: 'c1900',
      serialPrefixes: ['FTX', 'FGL'],
    }),
    model({
      pid: 'CISCO2911/K9',
      description: 'Cisco CISCO2911/K9 (revision 1.0)',
      module: 'c2900',
      image: 'c2900',
      serialPrefixes: ['FTX', 'JTV', 'FGL'],
    }),
    model({
      pid: 'CISCO2921/K9',
      description: 'Cisco CISCO2921/K9 (revision 1.0)',
      module: 'c2900',
      image: 'c2900',
      serialPrefixes: ['FTX', 'FGL'],
    }),
    // The 2951 logs `Module name = c2951` (confirmed).
    model({
      pid: 'CISCO2951/K9',
      description: 'Cisco CISCO2951/K9 (revision 1.0)',
      module: 'c2951',
      image: 'c2900',
      serialPrefixes: ['FHH', 'FTX'],
    }),
    // The 3900s license their service-performance engine: UDI PID C3900-SPE100/K9 / C3900-SPE150/K9 (confirmed).
    model({
      pid: 'CISCO3925/K9',
      description: 'Cisco CISCO3925-CHASSIS (revision 1.1) with C3900-SPE100/K9',
      module: 'c3900',
      image: 'c3900',
      serialPrefixes: ['FHH', 'FGL'],
      licenseUdiPid: 'C3900-SPE100/K9',
    }),
    model({
      pid: 'CISCO3945/K9',
      description: 'Cisco CISCO3945-CHASSIS (revision 1.1) with C3900-SPE150/K9',
      module: 'c3900',
      image: 'c3900',
      serialPrefixes: ['FGL', 'FOC'],
      licenseUdiPid: 'C3900-SPE150/K9',
    }),
  ],
};
