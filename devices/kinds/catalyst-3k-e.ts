/**
 * Catalyst 3560-E / 3750-E: the first switches with Cisco Software Licensing (S-MAINTWP). One universal
 * image, one image level at a time (`show version`: `License Level:` / `License Type:` / `Next reload
 * license Level:`), changed with `license boot level <level>` + reload. Traditional licensing only.
 * Sources: traditional-licensing-snmp-platforms.md §C.2; a real WS-C3560E-24TD-S `show version` (12.2(46)SE,
 * ipbase Permanent, VID V03, SN FDO1307R0W9).
 */
import type { LicenseLevel, PlatformFamily, PlatformModel, SoftwareRelease } from './platform.ts';

// ipbase/ipservices confirmed; advipservices unconfirmed (§C.2). Each level includes the ones below it.
const levels: readonly LicenseLevel[] = [
  { name: 'ipbase' },
  { name: 'ipservices', includes: ['ipbase'] },
  { name: 'advipservices', includes: ['ipservices', 'ipbase'] },
];

function releases(image: 'c3560e' | 'c3750e'): readonly SoftwareRelease[] {
  return [
    // 12.2(55)SE is the release the reference names; image name pattern confirmed (c3560e-universalk9-mz.122-46.SE).
    {
      version: '12.2(55)SE12',
      os: 'IOS',
      image: `${image}-universalk9-mz.122-55.SE12.bin`,
      modes: ['traditional'],
      defaultMode: 'traditional',
    },
    // 15.0(2)SE on the -E boxes: partly confirmed (the 3750-X shares the C3750E universal image).
    {
      version: '15.0(2)SE11',
      os: 'IOS',
      image: `${image}-universalk9-mz.150-2.SE11.bin`,
      modes: ['traditional'],
      defaultMode: 'traditional',
    },
  ];
}

function model(pid: string, chassis: string, defaultLevel: string, vid: string): PlatformModel {
  const image = pid.startsWith('WS-C3560E') ? 'c3560e' : 'c3750e';
  return {
    pid,
    family: 'catalyst-3k-e',
    // `show version` prints the chassis without the licence suffix: `cisco WS-C3560E-24TD (PowerPC405) processor
    // (revision G0)`.
    description: `cisco ${chassis} (PowerPC405) processor (revision G0)`,
    vid,
    defaultHostname: 'Switch',
    levelModel: 'image-level',
    levels,
    defaultLevel,
    features: [],
    releases: releases(image),
    defaultRelease: '12.2(55)SE12',
    serialPrefixes: ['FDO', 'CAT', 'FOC'],
  };
}

// PID suffix -S = IP Base (confirmed on WS-C3560E-24TD-S running ipbase), -E = IP Services (unconfirmed).
export const catalyst3kE: PlatformFamily = {
  id: 'catalyst-3k-e',
  name: 'Catalyst 3560-E / 3750-E',
  models: [
    model('WS-C3560E-24TD-S', 'WS-C3560E-24TD', 'ipbase', 'V03'),
    model('WS-C3750E-24TD-S', 'WS-C3750E-24TD', 'ipbase', 'V02'),
    model('WS-C3750E-48PD-E', 'WS-C3750E-48PD', 'ipservices', 'V02'),
  ],
};
