/**
 * ISR 860/880 family (here the 880s and the 890): among the first routers with Cisco Software Licensing
 * (S-MAINTWP), traditional only. One image level: `show version` prints
 * `License Information for 'c880-data'` / `License Level: advsecurity   Type: Permanent` / `Next reboot
 * license Level: advsecurity` (confirmed on a real 881, 15.5(3)M8, image c880data-universalk9-mz.155-3.M8.bin,
 * UDI PID CISCO881-K9, SN FTX18298312). advipservices is the upgrade level (SL-880-AIS; partly confirmed).
 * The 887VA/891F image and module names (c800) are unconfirmed.
 */
import type { LicenseLevel, PlatformFamily, PlatformModel, SoftwareRelease } from './platform.ts';

const levels: readonly LicenseLevel[] = [{ name: 'advsecurity' }, { name: 'advipservices', includes: ['advsecurity'] }];

function releases(image: string): readonly SoftwareRelease[] {
  return [
    {
      version: '15.4(3)M10',
      os: 'IOS',
      image: `${image}.154-3.M10.bin`,
      modes: ['traditional'],
      defaultMode: 'traditional',
    },
    {
      version: '15.5(3)M8',
      os: 'IOS',
      image: `${image}.155-3.M8.bin`,
      modes: ['traditional'],
      defaultMode: 'traditional',
    },
  ];
}

function model(
  pid: string,
  description: string,
  image: string,
  licenseModule: string,
  licenseUdiPid?: string,
): PlatformModel {
  return {
    pid,
    family: 'isr-800',
    description,
    vid: 'V01',
    ...(licenseUdiPid ? { licenseUdiPid } : {}),
    defaultHostname: 'Router',
    levelModel: 'image-level',
    levels,
    defaultLevel: 'advsecurity',
    features: [],
    releases: releases(image),
    defaultRelease: '15.5(3)M8',
    serialPrefixes: ['FTX', 'FGL'],
    licenseModule,
  };
}

export const isr800: PlatformFamily = {
  id: 'isr-800',
  name: 'ISR 800',
  models: [
    model(
      'C881-K9',
      'Cisco 881 (MPC8300) processor (revision 1.0)',
      'c880data-universalk9-mz',
      'c880-data',
      'CISCO881-K9',
    ),
    model('C887VA-K9', 'Cisco 887VA (MPC8300) processor (revision 1.0)', 'c800-universalk9-mz.SPA', 'c800'),
    model('C891F-K9', 'Cisco C891F-K9 (revision 1.0)', 'c800-universalk9-mz.SPA', 'c800'),
  ],
};
