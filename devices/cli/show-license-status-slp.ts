/** `show license status` on an SLP image (smart-licensing.md §4.5–4.7): the capture's blocks in order. */
import type { DeviceView } from './cli-device.ts';
import { accountBlock, policyBlock, slpOf, slpTransportBlock, trustBlock, usageReportingBlock } from './slp-blocks.ts';
import { dataPrivacyBlock, dateOf, text, utilityBlock } from './smart-blocks.ts';

export function showLicenseStatusSlp(view: DeviceView): string {
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
    usageReportingBlock(s, date),
    trustBlock(s, date),
  ];
  return text(blocks.flatMap((b, i) => [...(i ? [''] : []), ...b]));
}
