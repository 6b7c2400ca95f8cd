/**
 * `show license summary` on an SLP image (smart-licensing.md §4.8): the first form (no indent) on the
 * early 17.x trains, the later one (indented, after `Account Information`) from 17.6 on. Which release
 * changed it is not in the reference: 17.6 is the lab's choice.
 */
import type { DeviceView } from './cli-device.ts';
import { accountBlock, reservationEnabledLines, slpOf } from './slp-blocks.ts';
import { dateOf, text } from './smart-blocks.ts';
import { summaryTable } from './summary-table.ts';
import { trainAtLeast } from '../kinds/release-version.ts';

export function showLicenseSummarySlp(view: DeviceView): string {
  const s = slpOf(view);
  const rows = s.licenses.map((l) => ({
    license: l.feature,
    tag: l.description,
    count: l.count,
    status: l.inUse ? 'IN USE' : 'NOT IN USE',
  }));
  // Reservation configured: the classic headline line first, then a blank line (§4.4; lab placement).
  const reservation = reservationEnabledLines(s).flatMap((l) => [l, '']);
  if (!trainAtLeast(view.release.version, 17, 6))
    return text([...reservation, 'License Usage:', ...summaryTable(rows, '', 'Entitlement Tag')]);
  return text([
    ...reservation,
    ...accountBlock(s, dateOf(view)),
    '',
    'License Usage:',
    ...summaryTable(rows, '  ', 'Entitlement Tag'),
  ]);
}
