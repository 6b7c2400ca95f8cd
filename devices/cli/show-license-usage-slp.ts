/**
 * `show license usage` on an SLP image (smart-licensing.md §4.9). Export and enforcement values for
 * export-controlled licenses have no capture: `RESTRICTED - ALLOWED` / `- NOT ALLOWED` as classic prints
 * them, `ENFORCED` (lab choice).
 */
import type { SlpLicenseView } from '../licensing/slp-view.ts';
import type { DeviceView } from './cli-device.ts';
import { licenseReservationLines } from './reservation-lines.ts';
import { slpOf } from './slp-blocks.ts';
import { text } from './smart-blocks.ts';

const LICENSE_TYPE: Record<SlpLicenseView['class'], string> = {
  unenforced_perpetual: 'Perpetual',
  unenforced_subscription: 'Subscription',
  enforced: 'Perpetual',
  export: 'Perpetual',
};

/** Enforced and export-controlled licenses need a SLAC to run. */
export const isControlled = (l: SlpLicenseView): boolean => l.class === 'export' || l.class === 'enforced';

export const exportStatusOf = (l: SlpLicenseView): string =>
  l.class === 'export' ? `RESTRICTED - ${l.authorized ? 'ALLOWED' : 'NOT ALLOWED'}` : 'NOT RESTRICTED';

/** The lines after `Export status:` (also tech-support's License Usage, §4.10). */
export const featureLines = (l: SlpLicenseView): string[] => [
  `  Feature Name: ${l.feature}`,
  `  Feature Description: ${l.description}`,
  `  Enforcement type: ${isControlled(l) ? 'ENFORCED' : 'NOT ENFORCED'}`,
  `  License type: ${LICENSE_TYPE[l.class]}`,
];

function entry(l: SlpLicenseView): string[] {
  return [
    `${l.feature} (${l.description}):`,
    `  Description: ${l.description}`,
    `  Count: ${l.count}`,
    '  Version: 1.0',
    `  Status: ${l.inUse ? 'IN USE' : 'NOT IN USE'}`,
    `  Export status: ${exportStatusOf(l)}`,
    // With SLR / PLR installed: the classic lines after Export status (§4.4; no 17.x capture).
    ...licenseReservationLines(l.reserved),
    ...featureLines(l),
  ];
}

export function showLicenseUsageSlp(view: DeviceView): string {
  const licenses = slpOf(view).licenses;
  // no capture with nothing in use: `No licenses in use`, as classic words it (§4.4)
  const body =
    licenses.length === 0 ? ['No licenses in use'] : licenses.flatMap((l, i) => [...(i ? [''] : []), ...entry(l)]);
  return text(['License Authorization:', '  Status: Not Applicable', '', ...body]);
}
