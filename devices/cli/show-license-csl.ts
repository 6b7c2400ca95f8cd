/**
 * `show license` and `show license detail` of traditional (CSL) images (traditional-licensing-snmp-platforms.md
 * A.5.1, A.5.3): `show license` one entry per feature by index (the license in use, else the preferred
 * one; a feature with no license prints its Index line only), `show license detail` one entry per license.
 */
import { STORE_NAMES } from '../licensing/traditional-licenses.ts';
import type { LicenseView, TraditionalView } from '../licensing/traditional-view.ts';
import type { DeviceView } from './cli-device.ts';
import {
  licenseCount,
  licensePriority,
  licenseState,
  periodLeft,
  periodUsed,
  formatPeriod,
  TYPE_NAMES,
} from './csl-strings.ts';
import { text } from './smart-blocks.ts';

const INUSE_FIRST = ['inUse', 'expiredInUse'];

/** The license a feature's `show license` entry shows: in use, else the first in preference order. */
function shownLicense(t: TraditionalView, feature: string): LicenseView | undefined {
  const mine = t.licenses.filter((l) => l.feature === feature);
  return mine.find((l) => INUSE_FIRST.includes(l.status)) ?? mine.find((l) => l.status !== 'inactive') ?? mine[0];
}

/** A.5.1: `Index <n> Feature: <name>` padded to 48 columns, attributes indented 8 spaces. */
export function showLicenseCsl(view: DeviceView): string {
  const t = view.traditional;
  if (!t) return '';
  const pad = ' '.repeat(8);
  return text([
    ...t.features.flatMap((feature, i) => {
      const l = shownLicense(t, feature);
      const head = `Index ${i + 1} Feature: ${feature}`.padEnd(48);
      if (!l) return [head];
      return [
        head,
        `${pad}Period left: ${periodLeft(l)}`,
        ...(l.periodMs !== undefined ? [`${pad}Period Used: ${periodUsed(l)}`] : []),
        `${pad}License Type: ${TYPE_NAMES[l.type]}`,
        `${pad}License State: ${licenseState(l, view)}`,
        `${pad}License Count: ${licenseCount(l)}`,
        `${pad}License Priority: ${licensePriority(l)}`,
      ];
    }),
    '',
  ]);
}

/** `Vendor info:` (S-ASR903): the UDI XML; built-in licenses are NOTLOCKED. */
const vendorInfo = (l: LicenseView): string =>
  `<UDI><PID>${l.lock?.pid ?? 'NOTLOCKED'}</PID><SN>${l.lock?.sn ?? 'NOTLOCKED'}</SN></UDI>`;

/**
 * A.5.3 (S-ASR903): tab-indented fields, evaluation periods under the state with their trailing blanks,
 * `License Addition` Exclusive (node-locked) / Additive, generation 0x8100000 / 0x8200000 (built-in).
 * `Comment:` has no capture: printed when a comment was added (lab choice).
 */
export function showLicenseDetail(view: DeviceView): string {
  const t = view.traditional;
  if (!t) return '';
  return text([
    ...t.licenses.flatMap((l, i) => [
      `Index: ${i + 1} \tFeature: ${l.feature.padEnd(34)}Version: ${l.version}`,
      `\tLicense Type: ${TYPE_NAMES[l.type]}`,
      `\tLicense State: ${licenseState(l, view)}`,
      ...(l.periodMs !== undefined
        ? [
            `\t    Evaluation total period: ${formatPeriod(l.periodMs)} `,
            `\t    Evaluation period left: ${formatPeriod(l.periodMs - (l.usedMs ?? 0))} `,
            `\t    Period used: ${periodUsed(l)}  `,
          ]
        : []),
      `\tLock type: ${l.lock ? 'Node locked' : 'Non Node locked'}`,
      `\tVendor info: ${vendorInfo(l)}`,
      `\tLicense Addition: ${l.lock ? 'Exclusive' : 'Additive'}`,
      `\tLicense Generation version: ${l.store === 'builtin' ? '0x8200000' : '0x8100000'}`,
      `\tLicense Count: ${licenseCount(l)}`,
      `\tLicense Priority: ${licensePriority(l)}`,
      ...(l.comment ? [`\tComment: ${l.comment}`] : []),
      `\tStore Index: ${l.storeIndex}`,
      `\tStore Name: ${STORE_NAMES[l.store]}`,
    ]),
    '',
  ]);
}
