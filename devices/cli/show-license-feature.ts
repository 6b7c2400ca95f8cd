/**
 * `show license feature` (traditional-licensing-snmp-platforms.md A.5.2): one row per licensable feature.
 * IOS XE prints the RightToUse column (S-ASR903, with trailing blanks), IOS 15.x does not (S-CCNA60).
 * Enforcement: every feature but the always-licensed factory level; Evaluation: a built-in evaluation
 * license exists; Subscription: a subscription license is installed; Enabled: a license of it is in use.
 * The lab has no right-to-use licenses yet: RightToUse is `no`.
 */
import type { DeviceView } from './cli-device.ts';
import { text } from './smart-blocks.ts';

const yes = (b: boolean): string => (b ? 'yes' : 'no');
const SUBSCRIPTIONS = ['paidSubscription', 'evaluationSubscription', 'extensionSubscription'];

export function showLicenseFeature(view: DeviceView): string {
  const t = view.traditional;
  if (!t) return '';
  const xe = view.release.os === 'IOS XE';
  const nameWidth = xe ? 25 : 20;
  const row = (cells: string[], rtu: string): string =>
    cells[0]!.padEnd(nameWidth) +
    cells[1]!.padEnd(13) +
    cells[2]!.padEnd(12) +
    cells[3]!.padEnd(15) +
    (xe ? `${cells[4]!.padEnd(9)}${rtu.padEnd(11)}` : cells[4]!);
  const rows = t.features.map((f) => {
    const mine = t.licenses.filter((l) => l.feature === f);
    return row(
      [
        f,
        yes(f !== view.platform.defaultLevel),
        yes(mine.some((l) => l.store === 'builtin')),
        yes(mine.some((l) => SUBSCRIPTIONS.includes(l.type))),
        yes(mine.some((l) => l.status === 'inUse' || l.status === 'expiredInUse')),
      ],
      'no',
    );
  });
  return text([
    row(['Feature name', 'Enforcement', 'Evaluation', 'Subscription', 'Enabled'], 'RightToUse'),
    ...rows,
    '',
  ]);
}
