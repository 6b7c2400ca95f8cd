/**
 * `show version` licence lines of image-level IOS / IOS XE platforms (traditional-licensing-snmp-platforms.md
 * A.5.6): one layout per family style, each reading the running and next-reload level from the view.
 */
import type { DeviceView } from './cli-device.ts';
import { runningLicenseType } from './csl-strings.ts';

const smart = (view: DeviceView): boolean => view.licensingMode === 'smart';

/**
 * Level first: Catalyst 3750-X/3560-E (`License Type: Permanent`, GENIE golden_output_ios), ASR 903
 * (S-ASR903), ASR 901/920 smart images (`License Type: Smart License`, GENIE asr901/asr920).
 * A traditional level shows the type of the license it runs on.
 */
export function levelFirstLines(view: DeviceView): string[] {
  const b = view.bootLevel;
  return [
    `License Level: ${b.current}`,
    `License Type: ${smart(view) ? 'Smart License' : runningLicenseType(view)}`,
    `Next reload license Level: ${b.nextReload}`,
    '',
  ];
}

/**
 * ASR 1000: `License Type:` before `License Level:` (GENIE golden_output_asr1k, RTU: `RightToUse`); smart
 * images print `License Type: Smart License is permanent` (real ASR1002-HX 16.x capture).
 */
export function typeFirstLines(view: DeviceView): string[] {
  const b = view.bootLevel;
  return [
    `License Type: ${smart(view) ? 'Smart License is permanent' : 'RightToUse'}`,
    `License Level: ${b.current}`,
    `Next reload license Level: ${b.nextReload}`,
    '',
  ];
}

/**
 * ISR 800: a block per licence module (real C881 15.x: `License Information for 'c880-data'` /
 * `    License Level: advipservices   Type: Permanent` / `    Next reboot license Level: advipservices`;
 * the Catalyst 4500-E Sup7-E prints the same block, A.5.6).
 */
export function moduleInfoLines(view: DeviceView): string[] {
  const b = view.bootLevel;
  return [
    `License Information for '${view.platform.licenseModule ?? view.platform.pid}'`,
    `    License Level: ${b.current}   Type: ${runningLicenseType(view)}`,
    `    Next reboot license Level: ${b.nextReload}`,
    '',
  ];
}
