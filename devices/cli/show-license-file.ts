/**
 * `show license file`: the license lines in the license storage, as installed. The reference has no
 * capture (A.5.8 recalls `License Store:`, `Store Index:`, `License:`, `Comment:`, `Hash:`); this is that
 * recalled layout without the hash (lab choice). Factory and built-in licenses have no line to show.
 */
import { STORE_NAMES } from '../licensing/traditional-licenses.ts';
import type { DeviceView } from './cli-device.ts';
import { text } from './smart-blocks.ts';

export function showLicenseFile(view: DeviceView): string {
  const installed = view.traditional?.licenses.filter((l) => l.text !== undefined) ?? [];
  return text([
    `License Store: ${STORE_NAMES.primary}`,
    ...installed.flatMap((l) => [`Store Index: ${l.storeIndex}`, `\tLicense: ${l.text}`, `\tComment: ${l.comment}`]),
    '',
  ]);
}
