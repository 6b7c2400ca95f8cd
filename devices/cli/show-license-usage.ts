/**
 * `show license usage` (classic). No classic capture: the SLP layout (smart-licensing.md §4.9) with the
 * classic authorization status and the fields classic entitlements have (description, count, version,
 * status, export status).
 */
import type { DeviceView } from './cli-device.ts';
import { authorizationHead, text, usageEntries } from './smart-blocks.ts';

export function showLicenseUsage(view: DeviceView): string {
  return text([...authorizationHead(view), '', ...usageEntries(view), '']);
}
