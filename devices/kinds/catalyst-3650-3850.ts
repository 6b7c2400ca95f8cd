/**
 * Catalyst 3650 / 3850 (IOS XE). 3.x and 16.3: Right-to-Use licensing (EULA-based activation, no PAK:
 * `license right-to-use activate <level>`), which the lab runs as traditional; 16.9 and later: Smart
 * Licensing only. `show version` prints the level with its k9 suffix (`ipservicesk9  Permanent  ipservicesk9`,
 * smart: `ipbasek9  Smart License  ipbasek9`). Sources: traditional-licensing-snmp-platforms.md §C.2, §A.5.6
 * (GENIE golden_output_c3850: WS-C3850-24P, SN FCW1932D0LB).
 */
import { catalogueTag } from './catalogue-tag.ts';
import type { LicenseLevel, PlatformFamily, PlatformModel, SoftwareRelease } from './platform.ts';

// Keywords of `license boot level` on 16.x (S-YDK); the 3.x RTU commands use them without `k9`.
// Smart tags: lab-made entries cat3k_* (one per level, shared by 3650 and 3850).
const levels: readonly LicenseLevel[] = [
  { name: 'lanbasek9', entitlementTag: catalogueTag('cat3k_lanbase') },
  { name: 'ipbasek9', entitlementTag: catalogueTag('cat3k_ipbase'), includes: ['lanbasek9'] },
  { name: 'ipservicesk9', entitlementTag: catalogueTag('cat3k_ipservices'), includes: ['ipbasek9', 'lanbasek9'] },
];

const image = (v: string) => `cat3k_caa-universalk9.${v}.SPA.bin`;
const releases: readonly SoftwareRelease[] = [
  {
    version: '03.06.08E',
    os: 'IOS XE',
    image: 'cat3k_caa-universalk9.SPA.03.06.08.E.152-2.E8.bin',
    modes: ['traditional'],
    defaultMode: 'traditional',
  },
  { version: '16.3.10', os: 'IOS XE', image: image('16.03.10'), modes: ['traditional'], defaultMode: 'traditional' },
  { version: '16.9.5', os: 'IOS XE', image: image('16.09.05'), modes: ['smart'], defaultMode: 'smart' },
  { version: '16.12.4', os: 'IOS XE', image: image('16.12.04'), modes: ['smart'], defaultMode: 'smart' },
];

// Revision letters: U0 seen on a WS-C3850-24P; the 3650's is unconfirmed.
function model(pid: string, revision: string, defaultLevel: string, serialPrefixes: readonly string[]): PlatformModel {
  return {
    pid,
    family: 'catalyst-3650-3850',
    description: `cisco ${pid} (MIPS) processor (revision ${revision})`,
    vid: 'V01',
    defaultHostname: 'Switch',
    levelModel: 'image-level',
    levels,
    defaultLevel,
    features: [],
    rightToUse: true,
    releases,
    defaultRelease: '16.9.5',
    serialPrefixes,
  };
}

// The chassis PID has no licence suffix in `show version`; the ordered -L/-S/-E suffix sets the factory level
// (unconfirmed).
export const catalyst3650And3850: PlatformFamily = {
  id: 'catalyst-3650-3850',
  name: 'Catalyst 3650 / 3850',
  models: [
    model('WS-C3850-24P', 'U0', 'ipbasek9', ['FCW', 'FOC']),
    model('WS-C3850-48P', 'U0', 'ipbasek9', ['FCW', 'FOC']),
    model('WS-C3650-24TS', 'H0', 'lanbasek9', ['FDO', 'FOC']),
  ],
};
