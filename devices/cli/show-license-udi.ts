/**
 * `show license udi` (traditional-licensing-snmp-platforms.md A.5.5): Smart Licensing images print
 * `UDI: PID:…,SN:…`; traditional (CSL) images print the ISR G2 table, `*` marking the local device. The
 * table's PID is the licensed one (a 3925 lists `C3900-SPE100/K9 FHH13030044 C3900-SPE100/K9:FHH13030044`).
 */
import { udiString } from '#protocol';
import { licenseUdi } from '../kinds/udi.ts';
import type { DeviceView } from './cli-device.ts';
import { text } from './smart-blocks.ts';

export function showLicenseUdi(view: DeviceView): string {
  const { pid, sn } = view.udi;
  if (view.licensingMode === 'smart') return text([`UDI: ${udiString({ pid, sn })}`, '']);
  return text([
    `${'Device#'.padEnd(10)}${'PID'.padEnd(22)}${'SN'.padEnd(16)}UDI`,
    '-'.repeat(77),
    `${'*0'.padEnd(10)}${(view.platform.licenseUdiPid ?? pid).padEnd(22)}${sn.padEnd(16)}${licenseUdi(view.platform, sn)}`,
    '',
  ]);
}
