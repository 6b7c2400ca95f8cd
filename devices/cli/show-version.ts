/**
 * `show version`, short but in the real order and wording (GENIE ShowVersion goldens for C9300 16.12,
 * WS-C3750X 12.2, ISR G2 15.x): software lines, ROM, uptime, image, last reload reason, the licensing
 * lines, the model line, board ID, configuration register (classic-IOS ISRs: licensing after board ID).
 */
import type { DeviceView } from './cli-device.ts';
import { text } from './smart-blocks.ts';
import { formatUptime } from './uptime.ts';
import { versionLicensing } from './version-licensing.ts';

/** `16.9.4` → `16.09.04` (IOS XE first line); other versions as they are. */
export function paddedXeVersion(version: string): string {
  return version.replace(
    /^(\d+)\.(\d+)\.(\d+)(.*)$/,
    (_, a: string, b: string, c: string, rest: string) => `${a}.${b.padStart(2, '0')}.${c.padStart(2, '0')}${rest}`,
  );
}

/** `cat9k_iosxe.16.09.04.SPA.bin` → `CAT9K_IOSXE`; `c2900-universalk9-mz.SPA.157-3.M5.bin` → `C2900-UNIVERSALK9-M`. */
export function imageId(image: string): string {
  return (image.split('.')[0] ?? image).toUpperCase().replace(/-MZ$/, '-M');
}

function softwareLines(view: DeviceView): string[] {
  const r = view.release;
  const id = imageId(r.image);
  if (r.os === 'IOS XE') {
    const product =
      view.platform.defaultHostname === 'Switch'
        ? 'Catalyst L3 Switch'
        : view.platform.family.startsWith('asr')
          ? 'ASR'
          : 'ISR';
    return [
      `Cisco IOS XE Software, Version ${paddedXeVersion(r.version)}`,
      `Cisco IOS Software, ${product} Software (${id}), Version ${r.version}, RELEASE SOFTWARE`,
    ];
  }
  return [`Cisco IOS Software, ${id.split('-')[0]} Software (${id}), Version ${r.version}, RELEASE SOFTWARE`];
}

export function showVersion(view: DeviceView): string {
  const xe = view.release.os === 'IOS XE';
  const uptime = formatUptime(view.uptimeMs);
  const router = view.platform.defaultHostname === 'Router';
  const licensing = versionLicensing(view);
  return text([
    ...softwareLines(view),
    'Technical Support: http://www.cisco.com/techsupport',
    'Copyright (c) 1986-2024 by Cisco Systems, Inc.',
    '',
    xe ? 'ROM: IOS-XE ROMMON' : 'ROM: Bootstrap program is IOS bootloader',
    '',
    `${view.hostname} uptime is ${uptime}`,
    ...(xe ? [`Uptime for this control processor is ${uptime}`] : []),
    'System returned to ROM by Reload Command',
    `System image file is "flash:${view.release.image}"`,
    `Last reload reason: ${view.lastReloadReason}`,
    '',
    ...(licensing.afterHardware ? [] : licensing.lines),
    `${view.platform.description} with 2097152K/6147K bytes of memory.`,
    `Processor board ID ${view.udi.sn}`,
    '',
    ...(licensing.afterHardware ? licensing.lines : []),
    `Configuration register is ${router ? '0x2102' : xe ? '0x102' : '0xF'}`,
  ]);
}
