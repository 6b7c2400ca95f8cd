/** `show license status` (classic Smart Licensing, smart-licensing.md §4.1 and §4.2). */
import type { DeviceView } from './cli-device.ts';
import {
  authorizationBlock,
  conversionBlock,
  dataPrivacyBlock,
  enabledLine,
  reservationLines,
  exportKeyBlock,
  registrationBlock,
  text,
  transportBlock,
  utilityBlock,
} from './smart-blocks.ts';

export function showLicenseStatus(view: DeviceView): string {
  // no capture for a disabled agent: the headline alone (the agent has nothing else to report)
  if (!view.smart.enabled) return text([enabledLine(view)]);
  const blocks = [
    [enabledLine(view), ...reservationLines(view)],
    utilityBlock(),
    dataPrivacyBlock(),
    transportBlock(view),
    registrationBlock(view),
    authorizationBlock(view),
    conversionBlock(view),
    exportKeyBlock(),
  ].filter((b) => b.length > 0);
  // Blank line between blocks; the capture (golden_output2) ends with two blank lines.
  return text([...blocks.flatMap((b) => [...b, '']), '']);
}
