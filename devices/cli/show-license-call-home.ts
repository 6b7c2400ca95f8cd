/**
 * `show license call-home` (A.4 command list; no capture of its output: a lab layout in `show license
 * status`'s style): where call-home requests go and as whom, the request in flight, and what the last one
 * came to with the lines the device printed for it.
 */
import type { DeviceView } from './cli-device.ts';
import { text } from './smart-blocks.ts';
import { formatShowDate } from '../time/ios-time.ts';

export function showLicenseCallHome(view: DeviceView): string {
  const c = view.traditional?.callHome;
  if (!c) return text(['License call-home is not configured (no Cisco.com login)', '']);
  return text([
    'License call-home:',
    `  Portal: ${c.url}`,
    `  Cisco.com user: ${c.username}`,
    `  State: ${c.state === 'requesting' ? `REQUEST IN PROGRESS (${c.pending ?? ''})` : 'IDLE'}`,
    ...(c.last
      ? [
          `  Last request: ${c.last.command}`,
          `    Answered: ${formatShowDate(c.last.at, view.clock.timezone)}`,
          `    Result: ${c.last.ok ? 'SUCCEEDED' : 'FAILED'}`,
          ...c.last.lines.map((l) => `    ${l}`),
        ]
      : ['  Last request: None']),
    '',
  ]);
}
