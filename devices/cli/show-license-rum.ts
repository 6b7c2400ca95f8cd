/**
 * `show license rum id all` and `show license rum id <id> detail` on SLP images (smart-licensing.md §4.11,
 * GENIE ShowLicenseRumIdAll/golden_1 and ShowLicenseRumIdDetail/golden_output): the reports in storage
 * (OPEN, CLOSED) and those acknowledged the agent still lists (ACK, storage DELETED), by id.
 */
import type { SlpView } from '../licensing/slp-view.ts';
import type { DeviceView } from './cli-device.ts';
import { slpOf } from './slp-blocks.ts';
import { dateOf, text, titled } from './smart-blocks.ts';

interface ListedReport {
  id: number;
  tag: string;
  feature: string;
  state: 'OPEN' | 'CLOSED' | 'ACK';
  start: number;
  end?: number;
}

/** Every report the agent knows of, oldest id first. */
function listed(s: SlpView): ListedReport[] {
  const acked = s.ackedReports.map((r): ListedReport => ({ ...r, state: 'ACK' }));
  return [...acked, ...s.reports].sort((a, b) => a.id - b.id);
}

/** Columns as captured: id padded to 20, `State,` to 10, `Flag,` to 6 (the flag is always `N` here). */
export function showLicenseRumIdAll(view: DeviceView): string {
  const rows = listed(slpOf(view)).map(
    (r) => `${String(r.id).padEnd(20)}${r.state.padEnd(10)}${'N'.padEnd(6)}${r.feature}`,
  );
  return text([
    ...titled('Smart Licensing Usage Report:', '='.repeat(36)),
    'Report Id,          State,    Flag, Feature Name',
    ...rows,
  ]);
}

/**
 * The capture's block (an ACKed report). For the states it does not show (lab choices): an OPEN report
 * has `End Time: <none>`; `State Change Reason` and `Storage State` read `<none>` / `STORED` until the
 * ACK. Previous and next ids are the same license's neighbours, 0 for none (the capture's `0`).
 */
export function showLicenseRumIdDetail(view: DeviceView, id: string): string {
  const s = slpOf(view);
  const all = listed(s);
  const r = all.find((x) => String(x.id) === id);
  if (!r) return `% Error: Report Id ${id} not found. Use 'show license rum id all' for the report ids\n`;
  const date = dateOf(view);
  const same = all.filter((x) => x.tag === r.tag);
  const at = same.indexOf(r);
  const acked = r.state === 'ACK';
  return text([
    ...titled('Smart Licensing Usage Report Detail:'),
    `Report Id: ${r.id}`,
    '  Metric Name: ENTITLEMENT',
    `  Feature Name: ${r.feature}`,
    `  Metric Value: ${r.tag}`,
    `  UDI: PID:${s.udi.pid},SN:${s.udi.sn}`,
    `  Previous Report Id: ${same[at - 1]?.id ?? 0},    Next Report Id: ${same[at + 1]?.id ?? 0}`,
    `  State: ${`${r.state},`.padEnd(10)}State Change Reason: ${acked ? 'ACKED' : '<none>'}`,
    `  Start Time: ${date(r.start)},      End Time: ${r.end === undefined ? '<none>' : date(r.end)}`,
    `  Storage State: ${acked ? 'DELETED' : 'STORED'}`,
    '  Transaction ID: 0',
    '  Transaction Message: <none>',
  ]);
}
