/**
 * `show license summary` (classic; smart-licensing.md §4.3). IOS XE up to 16.9 prints the captured 16.9
 * form: `Allowed`/`Not Allowed`, bare `AUTHORIZED` and `SUCCEEDED`. Later classic releases (16.10–17.3.1;
 * no capture) print the same lines with the `on <date>` suffixes and upper-case export value that their
 * `show license status` has.
 */
import type { DeviceView } from './cli-device.ts';
import type { SoftwareRelease } from '../kinds/platform.ts';
import { dateOf, enabledLine, reservationLines, text } from './smart-blocks.ts';
import {
  attemptLines,
  authorizationText,
  entitlementStatusText,
  isReservedView,
  registrationText,
} from './smart-strings.ts';
import { summaryTable } from './summary-table.ts';
import { trainAtLeast } from '../kinds/release-version.ts';
import { formatRemaining } from '../time/ios-time.ts';

/** True for IOS XE releases before 16.10 (the 16.9 summary format). */
function isSixteenNineFormat(release: SoftwareRelease): boolean {
  return release.os === 'IOS XE' && /^\d+\.\d+/.test(release.version) && !trainAtLeast(release.version, 16, 10);
}

export function showLicenseSummary(view: DeviceView): string {
  if (!view.smart.enabled) return text([enabledLine(view)]);
  const old = isSixteenNineFormat(view.release);
  const date = dateOf(view);
  const { registration: r, authorization: a } = view.smart;
  const reg = ['Registration:', `  Status: ${registrationText(view.smart)}`];
  if (r.smartAccount !== undefined) reg.push(`  Smart Account: ${r.smartAccount}`);
  if (r.virtualAccount !== undefined) reg.push(`  Virtual Account: ${r.virtualAccount}`);
  const exportValue = r.exportControlled ? 'ALLOWED' : 'NOT ALLOWED';
  reg.push(
    `  Export-Controlled Functionality: ${old ? exportValue.replace(/\B\w+/g, (w) => w.toLowerCase()) : exportValue}`,
  );
  if (r.status === 'registered' && !isReservedView(view.smart)) {
    reg.push(
      ...(r.lastRenewalAttempt
        ? attemptLines('Last Renewal Attempt', r.lastRenewalAttempt, date, !old)
        : ['  Last Renewal Attempt: None']),
    );
  }
  if (r.nextRenewalAttempt !== undefined) reg.push(`  Next Renewal Attempt: ${date(r.nextRenewalAttempt)}`);

  const since = a.since === undefined || old ? undefined : date(a.since);
  const auth = ['License Authorization: ', `  Status: ${authorizationText(view.smart, since)}`];
  if (a.status === 'eval') auth.push(`  Evaluation Period Remaining: ${formatRemaining(a.evaluationRemainingMs)}`);
  if (a.lastCommunicationAttempt)
    auth.push(...attemptLines('Last Communication Attempt', a.lastCommunicationAttempt, date, !old));
  if (a.nextCommunicationAttempt !== undefined)
    auth.push(`  Next Communication Attempt: ${date(a.nextCommunicationAttempt)}`);

  const rows = view.smart.entitlements.map((e) => ({
    license: e.description,
    tag: e.shortName,
    count: e.count,
    status: entitlementStatusText(e),
  }));
  // no capture for an empty table: `No licenses in use`, as `show license all` words it (§4.4)
  const usage = ['License Usage:', ...(rows.length ? summaryTable(rows, '  ') : ['  No licenses in use'])];
  return text([enabledLine(view), ...reservationLines(view), '', ...reg, '', ...auth, '', ...usage]);
}
