/**
 * `dir [flash: | usbflash0:]`: the files of a file system in IOS's layout (`Directory of flash:/`, index,
 * permissions, size, date, name; then total and free bytes). Date as `Mar 13 2026 08:09:24 +00:00`.
 */
import { FILE_SYSTEMS, FLASH_CAPACITY, bytesOf, listFiles, usedBytes, type FileSystem } from '../files/flash.ts';
import type { DeviceView } from './cli-device.ts';
import type { CommandContext } from './command-node.ts';
import { text } from './smart-blocks.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function fileDate(t: number, offsetMinutes: number): string {
  const d = new Date(t + offsetMinutes * 60_000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(offsetMinutes);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${sign}${two(Math.floor(off / 60))}:${two(off % 60)}`;
}

export function dirListing(view: DeviceView, fs: FileSystem): string {
  const files = listFiles(view.files, fs);
  const offset = view.clock.timezone.offsetMinutes;
  return text([
    `Directory of ${fs}/`,
    '',
    ...files.map(
      ({ name, file }, i) =>
        `${String(i + 1).padStart(5)}  -rw-  ${String(bytesOf(file.text)).padStart(10)}  ${fileDate(file.at, offset)}  ${name}`,
    ),
    ...(files.length === 0 ? ['No files in directory'] : []),
    '',
    `${FLASH_CAPACITY} bytes total (${FLASH_CAPACITY - usedBytes(view.files)} bytes free)`,
  ]);
}

export function dir(ctx: CommandContext): string {
  const fs = (FILE_SYSTEMS as readonly string[]).includes(ctx.args.fs ?? '') ? (ctx.args.fs as FileSystem) : 'flash:';
  return dirListing(ctx.view, fs);
}
