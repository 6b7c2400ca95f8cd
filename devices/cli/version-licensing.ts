/**
 * The licensing section of `show version` (traditional-licensing-snmp-platforms.md A.5.6), chosen by platform
 * family and licensing mode from one table; each layout lives in its own formatter. Smart Licensing images
 * end the section with `Smart Licensing Status: <registration>/<authorization>`.
 */
import type { DeviceView } from './cli-device.ts';
import { isr4000Tables } from './version-licensing-isr4000.ts';
import { levelFirstLines, moduleInfoLines, typeFirstLines } from './version-licensing-lines.ts';
import { catalyst9000Table, catalyst9300Table, moduleTable, packageTable } from './version-licensing-tables.ts';
import { authorizationText, registrationText } from './smart-strings.ts';

type Layout = (view: DeviceView) => string[];

interface FamilyLayout {
  traditional: Layout;
  smart: Layout;
  /** Classic-IOS ISRs print the licence block after the hardware lines, just before the configuration register. */
  afterHardware?: true;
}

// Families without a mode keep the layout of the mode they have (no traditional Catalyst 9000 image exists).
const FAMILY_LAYOUTS: Readonly<Record<string, FamilyLayout>> = {
  'catalyst-9300': { traditional: catalyst9300Table, smart: catalyst9300Table },
  'catalyst-9200': { traditional: catalyst9000Table, smart: catalyst9000Table },
  'catalyst-3650-3850': { traditional: packageTable, smart: catalyst9000Table },
  'catalyst-3k-e': { traditional: levelFirstLines, smart: levelFirstLines },
  'asr-900': { traditional: levelFirstLines, smart: levelFirstLines },
  'asr-1000': { traditional: typeFirstLines, smart: typeFirstLines },
  'isr-4000': { traditional: isr4000Tables, smart: isr4000Tables },
  'isr-g2': { traditional: moduleTable, smart: moduleTable, afterHardware: true },
  'isr-800': { traditional: moduleInfoLines, smart: moduleInfoLines, afterHardware: true },
};

/** A family not in the table prints the generic image-level lines. */
const DEFAULT_LAYOUT: FamilyLayout = { traditional: levelFirstLines, smart: levelFirstLines };

/** `REGISTERED/AUTHORIZED`, `UNREGISTERED/EVAL MODE` (A.5.6): statuses without their dates. */
function smartStatusLine(view: DeviceView): string {
  const s = view.smart;
  return `Smart Licensing Status: ${registrationText(s)}/${authorizationText(s, undefined)}`;
}

export interface VersionLicensing {
  /** The section, ending in its blank line(s). */
  lines: string[];
  /** Printed after the hardware lines instead of before the model line. */
  afterHardware: boolean;
}

/** 17.x images print the Smart table and name the model instead of a status (recalled, no capture in the reference). */
const SLP_STATUS_LINE = 'Smart Licensing Status: Smart Licensing Using Policy';

export function versionLicensing(view: DeviceView): VersionLicensing {
  const family = FAMILY_LAYOUTS[view.platform.family] ?? DEFAULT_LAYOUT;
  const mode = view.licensingMode;
  const lines = family[mode === 'slp' ? 'smart' : mode](view);
  const status = mode === 'smart' ? [smartStatusLine(view), ''] : mode === 'slp' ? [SLP_STATUS_LINE, ''] : [];
  return { lines: [...lines, ...status], afterHardware: family.afterHardware === true };
}
