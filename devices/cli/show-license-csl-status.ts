/**
 * `show license status` of traditional (CSL) images: the license types and operations the agent supports
 * and the device status. No capture is in the reference (A.5.8 "content unconfirmed"); this is the layout
 * recalled from ISR G2 15.x, with only what the lab's agent does (no revoke yet).
 */
import type { DeviceView } from './cli-device.ts';
import { text } from './smart-blocks.ts';

const TYPES: [string, string][] = [
  ['permanent', 'Non-expiring node locked license'],
  ['extension', 'Expiring node locked license'],
  ['evaluation', 'Expiring non node locked license'],
];
const OPERATIONS: [string, string][] = [
  ['install', 'Install license'],
  ['clear', 'Clear license'],
  ['annotate', 'Comment license'],
  ['save', 'Save license'],
];

const rows = (pairs: [string, string][]): string[] => pairs.map(([k, v]) => `    ${k.padEnd(19)}${v}`);

export function showLicenseCslStatus(_view: DeviceView): string {
  return text([
    'License Type Supported',
    ...rows(TYPES),
    '',
    'License Operation Supported',
    ...rows(OPERATIONS),
    '',
    'Device status',
    '    Device Credential type: IMAGE',
    '    Device Credential Verification: PASS',
    '    Rehost Type: DC_OR_IC',
    '',
  ]);
}
