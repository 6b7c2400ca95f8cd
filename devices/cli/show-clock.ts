/** `show clock`: `*08:09:24.133 UTC Wed Mar 13 2024` (`*` until the clock is set). */
import { formatShowClock } from '../time/ios-time.ts';
import type { DeviceView } from './cli-device.ts';

export function showClock(view: DeviceView): string {
  const c = view.clock;
  return `${formatShowClock(c.now, c.timezone, c.authoritative)}\n`;
}
