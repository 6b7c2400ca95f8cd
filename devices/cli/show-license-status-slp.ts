/**
 * `show license status` on an SLP image (smart-licensing.md §4.5–4.7): the capture's blocks in order, and
 * with SLR / PLR configured a License Reservation block (slp-blocks.ts, no capture).
 */
import { trainAtLeast } from '../kinds/release-version.ts';
import type { SlpView } from '../licensing/slp-view.ts';
import type { DeviceView } from './cli-device.ts';
import {
  accountBlock,
  policyBlock,
  reservationBlock,
  slpOf,
  slpTransportBlock,
  trustBlock,
  usageReportingBlock,
} from './slp-blocks.ts';
import { dataPrivacyBlock, dateOf, text, utilityBlock } from './smart-blocks.ts';

export function showLicenseStatusSlp(view: DeviceView): string {
  return text(slpStatusLines(view));
}

/** The command's lines; tech-support passes what it adds to the push interval line (§4.10). */
export function slpStatusLines(view: DeviceView, internal = ''): string[] {
  const s = slpOf(view);
  const date = dateOf(view);
  const blocks = [
    utilityBlock(),
    ['Smart Licensing Using Policy:', '  Status: ENABLED'],
    accountBlock(s, date),
    dataPrivacyBlock(),
    slpTransportBlock(s),
    policyBlock(s, date),
    ['Miscellaneous:', '  Custom Id: <empty>'],
    usageReportingBlock(s, date, internal),
    // Reserved: after Usage Reporting, which then reads no deadline and `0 (no reporting)` (lab layout).
    reservationBlock(s, date),
    trustBlock(s, date),
  ].filter((b) => b.length > 0);
  const lines = blocks.flatMap((b, i) => [...(i ? [''] : []), ...b]);
  // 17.12 and later add the telemetry summary (NTC status4, 17.12.4); which release added it is unknown.
  return trainAtLeast(view.release.version, 17, 12) ? [...lines, ...telemetryBlock(s)] : lines;
}

/**
 * As captured: a line holding one space before it and a trailing space after the count. `AVAILABLE` while
 * reports can leave the box (lab reading: a transport on and communication ok).
 */
function telemetryBlock(s: SlpView): string[] {
  const available = s.transport.type !== 'off' && s.states.communication === 'ok';
  return [
    ' ',
    'Device Telemetry Report Summary:',
    '================================',
    `Data Channel: ${available ? 'AVAILABLE' : 'NOT AVAILABLE'}`,
    'Reports on disk: 0 ',
  ];
}
