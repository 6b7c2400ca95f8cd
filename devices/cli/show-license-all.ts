/** `show license all` (classic; smart-licensing.md §4.4, GENIE ShowLicenseAll golden_output_3). */
import { udiString } from '#protocol';
import type { DeviceView } from './cli-device.ts';
import { reservationInfo } from './show-license-reservation.ts';
import {
  authorizationBlock,
  dataPrivacyBlock,
  enabledLine,
  reservationLines,
  exportKeyBlock,
  registrationBlock,
  text,
  titled,
  transportBlock,
  usageEntries,
  utilityBlock,
} from './smart-blocks.ts';

/** The `Smart Licensing Status` section, also the head of `show license tech-support`. */
export function statusSection(view: DeviceView): string[] {
  const blocks = [
    [enabledLine(view), ...reservationLines(view)],
    registrationBlock(view),
    authorizationBlock(view),
    exportKeyBlock(),
    utilityBlock(),
    dataPrivacyBlock(),
    transportBlock(view),
  ];
  return [...titled('Smart Licensing Status'), '', ...blocks.flatMap((b) => [...b, ''])];
}

/**
 * License Usage, Product Information and Agent Version sections; the capture underlines `License Usage` with 14 `=`.
 */
export function usageAndProductSections(view: DeviceView): string[] {
  return [
    ...titled('License Usage', '='.repeat(14)),
    '',
    ...usageEntries(view),
    '',
    ...titled('Product Information'),
    `UDI: ${udiString(view.smart.udi)}`,
    '',
    ...titled('Agent Version'),
    `Smart Agent for Licensing: ${view.smart.agentVersion}`,
    '',
  ];
}

/** `Reservation Info` is underlined with 16 `=` and a trailing space in the capture. */
const reservationSection = (view: DeviceView): string[] => [
  ...titled('Reservation Info', '================ '),
  ...reservationInfo(view),
];

export function showLicenseAll(view: DeviceView): string {
  return text([...statusSection(view), ...usageAndProductSections(view), ...reservationSection(view)]);
}
