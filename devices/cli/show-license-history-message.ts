/**
 * `show license history message` on SLP images. The reference records only its fields (smart-licensing.md
 * §4.11, GENIE ShowLicenseHistoryMessage): a record per message type (Trust Establishment, Usage
 * Reporting, Result Polling, Authorization Request, Authorization Return, Trust Sync) and "Import" records
 * of kind POLICY, AUTH, TRUST CODE, RUM ACK, CONVERSION ACK, ACCOUNT INFO. The layout is the lab's, in the
 * captured style of tech-support (titles underlined with `=`, fields indented 2, `<none>` for no time),
 * from the same counters as Communication Statistics. CONVERSION ACK is left out: the agent keeps no
 * conversion acknowledgement apart from the RUM ACK.
 */
import type { MessageType } from '../licensing/slp-record.ts';
import type { DeviceView } from './cli-device.ts';
import { orNone, slpOf } from './slp-blocks.ts';
import { dateOf, text, titled } from './smart-blocks.ts';

const HISTORY_TYPES: readonly MessageType[] = [
  'Trust Establishment',
  'Usage Reporting',
  'Result Polling',
  'Authorization Request',
  'Authorization Return',
  'Trust Sync',
];

export function showLicenseHistoryMessage(view: DeviceView): string {
  const s = slpOf(view);
  const date = dateOf(view);
  const messages = HISTORY_TYPES.flatMap((t) => {
    const m = s.messages[t];
    return [
      `${t}:`,
      `  Total: ${m?.total ?? 0},  Success: ${m?.success ?? 0},  Fail: ${m?.fail ?? 0}`,
      `  Last Response: ${m?.last ? `${m.last.response} on ${date(m.last.at)}` : '<none>'}`,
      ...(m?.last?.reason ? [`    Failure Reason: ${m.last.reason}`] : []),
    ];
  });
  const imports: [string, number | undefined][] = [
    ['POLICY', s.policy.installedAt],
    ['AUTH', s.lastAuthorizationAt],
    ['TRUST CODE', s.trust?.installedAt],
    ['RUM ACK', s.usageReporting.lastAckAt],
    ['ACCOUNT INFO', s.account?.asOf],
  ];
  return text([
    ...titled('Message History'),
    ...messages,
    '',
    ...titled('Import History'),
    ...imports.map(([kind, at]) => `${kind}: ${orNone(date, at)}`),
  ]);
}
