/**
 * `show license usage` (classic). No classic capture: the SLP layout (smart-licensing.md §4.9) with the
 * classic authorization status and the fields classic entitlements have (description, count, version,
 * status, export status).
 */
import type { DeviceView } from './cli-device.ts';
import { dateOf, text, usageEntries } from './smart-blocks.ts';
import { authorizationStatusText } from './smart-strings.ts';

export function showLicenseUsage(view: DeviceView): string {
  const a = view.smart.authorization;
  const since = a.since === undefined ? undefined : dateOf(view)(a.since);
  return text(['License Authorization: ', `  Status: ${authorizationStatusText(a.status, since)}`, '', ...usageEntries(view), '']);
}
