/**
 * The blocks `show license status`, `all` and `tech-support` share, as lines (smart-licensing.md §4.1,
 * §4.4). Section headers at column 0 ending in `:`, fields indented 2, sub-fields 4; `License
 * Authorization: ` keeps its trailing space.
 */
import { licenseReservationLines } from './reservation-lines.ts';
import { formatRemaining, formatShowDate } from '../time/ios-time.ts';
import type { DeviceView } from './cli-device.ts';
import type { EntitlementInUse } from '../licensing/smart-view.ts';
import {
  attemptLines,
  authorizationText,
  entitlementStatusText,
  isReservedView,
  registrationText,
} from './smart-strings.ts';

export type DateOf = (t: number) => string;

export const dateOf =
  (view: DeviceView): DateOf =>
  (t) =>
    formatShowDate(t, view.clock.timezone);

export const enabledLine = (view: DeviceView): string =>
  `Smart Licensing is ${view.smart.enabled ? 'ENABLED' : 'DISABLED'}`;

/** §4.4 (SLR capture): `License Reservation is ENABLED` under the headline, when configured. */
export const reservationLines = (view: DeviceView): string[] =>
  view.smart.enabled && view.smart.reservation?.enabled ? ['License Reservation is ENABLED'] : [];

export const utilityBlock = (): string[] => ['Utility:', '  Status: DISABLED'];

export const dataPrivacyBlock = (): string[] => [
  'Data Privacy:',
  '  Sending Hostname: yes',
  '    Callhome hostname privacy: DISABLED',
  '    Smart Licensing hostname privacy: DISABLED',
  '  Version privacy: DISABLED',
];

/** Callhome (§4.1); Smart with its URL and `Proxy: Not Configured` (NTC status3). */
export function transportBlock(view: DeviceView): string[] {
  const t = view.smart.transport;
  if (t.type === 'Callhome') return ['Transport:', '  Type: Callhome'];
  return ['Transport:', '  Type: Smart', `  URL: ${t.url}`, '  Proxy:', '    Not Configured'];
}

export function registrationBlock(view: DeviceView): string[] {
  const r = view.smart.registration;
  const date = dateOf(view);
  const lines = ['Registration:', `  Status: ${registrationText(view.smart)}`];
  if (r.smartAccount !== undefined) lines.push(`  Smart Account: ${r.smartAccount}`);
  if (r.virtualAccount !== undefined) lines.push(`  Virtual Account: ${r.virtualAccount}`);
  lines.push(`  Export-Controlled Functionality: ${r.exportControlled ? 'ALLOWED' : 'NOT ALLOWED'}`);
  if (r.initialRegistration) lines.push(...attemptLines('Initial Registration', r.initialRegistration, date));
  // Reserved: never renewed, so no renewal lines (lab choice, no capture of the block).
  if (r.status === 'registered' && !isReservedView(view.smart)) {
    lines.push(
      ...(r.lastRenewalAttempt
        ? attemptLines('Last Renewal Attempt', r.lastRenewalAttempt, date)
        : ['  Last Renewal Attempt: None']),
    );
  }
  if (r.nextRenewalAttempt !== undefined) lines.push(`  Next Renewal Attempt: ${date(r.nextRenewalAttempt)}`);
  // no capture: the retry time while registration retries (lab label, like `Next Renewal Attempt`)
  if (r.nextRegistrationAttempt !== undefined)
    lines.push(`  Next Registration Attempt: ${date(r.nextRegistrationAttempt)}`);
  if (r.registrationExpires !== undefined) lines.push(`  Registration Expires: ${date(r.registrationExpires)}`);
  return lines;
}

/** `License Authorization: ` and its dated `Status:` line (`show license usage` prints only these). */
export function authorizationHead(view: DeviceView): string[] {
  const a = view.smart.authorization;
  return [
    'License Authorization: ',
    `  Status: ${authorizationText(view.smart, a.since === undefined ? undefined : dateOf(view)(a.since))}`,
  ];
}

export function authorizationBlock(view: DeviceView): string[] {
  const a = view.smart.authorization;
  const date = dateOf(view);
  const lines = authorizationHead(view);
  if (a.status === 'eval') lines.push(`  Evaluation Period Remaining: ${formatRemaining(a.evaluationRemainingMs)}`);
  if (a.lastCommunicationAttempt)
    lines.push(...attemptLines('Last Communication Attempt', a.lastCommunicationAttempt, date));
  if (a.nextCommunicationAttempt !== undefined)
    lines.push(`  Next Communication Attempt: ${date(a.nextCommunicationAttempt)}`);
  if (a.communicationDeadline !== undefined) lines.push(`  Communication Deadline: ${date(a.communicationDeadline)}`);
  return lines;
}

const CONVERSION_STATUS = {
  notStarted: 'Not started',
  inProgress: 'In progress',
  succeeded: 'Successful',
  failed: 'Failed',
} as const;

/**
 * `License Conversion:` (device-led conversion). Lab layout: the block and its first line as 17.x tech
 * support prints them; the dated status and the failure reason follow the Attempt lines of this page.
 */
export function conversionBlock(view: DeviceView): string[] {
  const c = view.smart.conversion;
  if (!c) return [];
  const done = c.status === 'succeeded' || c.status === 'failed';
  const status = `  Status: ${CONVERSION_STATUS[c.status]}${done && c.at !== undefined ? ` on ${dateOf(view)(c.at)}` : ''}`;
  return [
    'License Conversion:',
    '  Automatic Conversion Enabled: False',
    status,
    ...(c.status === 'failed' && c.reason ? [`    Failure reason: ${c.reason}`] : []),
  ];
}

export const exportKeyBlock = (): string[] => ['Export Authorization Key:', '  Features Authorized:', '    <none>'];

/** `C9300-48 DNA Essentials (C9300-DNA-E-48):`; the description is blank until the cloud named it (§4.3). */
function usageEntry(e: EntitlementInUse, exportAllowed: boolean): string[] {
  const exportStatus = e.exportControlled
    ? `RESTRICTED - ${exportAllowed ? 'ALLOWED' : 'NOT ALLOWED'}`
    : 'NOT RESTRICTED';
  return [
    `${e.description ? `${e.description} ` : ''}(${e.shortName}):`,
    `  Description: ${e.description}`,
    `  Count: ${e.count}`,
    `  Version: ${e.version}`,
    `  Status: ${entitlementStatusText(e)}`,
    `  Export status: ${exportStatus}`,
    ...licenseReservationLines(e.reserved),
  ];
}

/** One block per entitlement, blank lines between, or `No licenses in use` (§4.4). */
export function usageEntries(view: DeviceView): string[] {
  const s = view.smart;
  if (s.entitlements.length === 0) return ['No licenses in use'];
  return s.entitlements.flatMap((e, i) => [...(i ? [''] : []), ...usageEntry(e, s.registration.exportControlled)]);
}

/** Title underlined with `=` (`show license all` / `tech-support`). */
export const titled = (title: string, underline = '='.repeat(title.length)): string[] => [title, underline];

export const text = (lines: readonly string[]): string => lines.map((l) => `${l}\n`).join('');
