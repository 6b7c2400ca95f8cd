/**
 * `show license tech-support` on SLP images (smart-licensing.md §4.10, GENIE ShowLicenseTechSupport
 * golden_output_14_standalone): the status of `show license status` with the Usage Reporting internals,
 * then License Usage (a Handle block per license), Communication Statistics (per message type, the
 * agent's counters), Usage Report Summary, Reservation Info, License Certificates, HA Info and Other Info,
 * all from the SLP view. The reference gives the blocks, not their order in one output nor the underline
 * of every title: the order above and `=` as long as each title are lab choices. Upcoming Scheduled Jobs
 * is not printed (its SLP job names have no counterpart in the agent's timers yet).
 */
import { MESSAGE_TYPES } from '../licensing/slp-record.ts';
import type { SlpLicenseView, SlpView } from '../licensing/slp-view.ts';
import type { DeviceView } from './cli-device.ts';
import { exchangeLines, headerLines } from './communication-block.ts';
import { reservationInfo, reservationShown } from './show-license-reservation.ts';
import { slpStatusLines } from './show-license-status-slp.ts';
import { exportStatusOf, featureLines, isControlled } from './show-license-usage-slp.ts';
import { slpOf } from './slp-blocks.ts';
import { dateOf, text, titled, type DateOf } from './smart-blocks.ts';

/**
 * ` State(n) InPolicy(n)`: InPolicy is the interval the ACK deadline runs on (§4.10). State(4) was seen
 * with an ACK received, State(2) on another capture: 4 once an ACK came, 2 before (lab reading).
 */
const internals = (s: SlpView): string =>
  ` State(${s.usageReporting.lastAckAt === undefined ? 2 : 4}) InPolicy(${s.usageReporting.inPolicyDays ?? 0})`;

/**
 * One license as captured. `Status time` is when its oldest report known opened (in use since then) and
 * `Request Time` when its current report opened; `NOT IN USE(1)` and `Soft Enforced: False` for a
 * controlled license are lab values (the capture is an unenforced license in use: `IN USE(15)`).
 */
function handle(s: SlpView, l: SlpLicenseView, n: number, date: DateOf): string[] {
  const reports = [...s.ackedReports, ...s.reports].filter((r) => r.tag === l.tag).sort((a, b) => a.id - b.id);
  const open = s.reports.find((r) => r.tag === l.tag && r.state === 'OPEN');
  const previous = open ? (reports[reports.indexOf(reports.find((r) => r.id === open.id)!) - 1]?.id ?? 0) : 0;
  const when = (t: number | undefined) => (t === undefined ? '<none>' : date(t));
  return [
    `Handle: ${n}`,
    `  License: ${l.feature}`,
    `  Entitlement Tag: ${l.tag}`,
    `  Description: ${l.description}`,
    `  Count: ${l.count}`,
    '  Version: 1.0',
    `  Status: ${l.inUse ? 'IN USE(15)' : 'NOT IN USE(1)'}`,
    `  Status time: ${when(reports[0]?.start)}`,
    `  Request Time: ${when(open?.start)}`,
    `  Export status: ${exportStatusOf(l)}`,
    ...featureLines(l),
    '  Measurements:',
    '    ENTITLEMENT:',
    '      Interval: 00:15:00',
    `      Current Value: ${l.inUse ? l.count : 0}`,
    `      Current Report: ${open?.id ?? 0}       Previous: ${previous}`,
    `  Soft Enforced: ${isControlled(l) ? 'False' : 'True'}`,
  ];
}

function licenseUsage(s: SlpView, date: DateOf): string[] {
  const handles = s.licenses.flatMap((l, i) => handle(s, l, i + 1, date));
  return [...titled('License Usage'), ...(handles.length ? handles : ['No licenses in use'])];
}

/**
 * Level and Overall State among the captured values: Smart and Call Home talk to CSSM (`DIRECT`), CSLU
 * and files go through something else (`INDIRECT`, lab reading).
 */
function communication(s: SlpView, date: DateOf): string[] {
  const type = s.transport.type;
  const direct = type === 'smart' || type === 'callhome';
  const overall =
    type === 'off'
      ? 'Device configured for Offline transport'
      : direct && !s.trust
        ? 'Insufficient trust for direct communication'
        : '<empty>';
  const zero = { total: 0, success: 0, fail: 0, ongoing: 0, ongoingComm: 0 };
  return [
    ...headerLines(direct ? 'DIRECT' : 'INDIRECT', overall),
    ...MESSAGE_TYPES.flatMap((t) => {
      const m = s.messages[t];
      return exchangeLines(t, { ...m, counters: m ?? zero }, date);
    }),
  ];
}

/**
 * The captured counters: Total counts every report made (acknowledged, purged and stored); `Waiting for
 * Ack` is the closed reports sent and not yet acknowledged, in brackets the closed ones in storage;
 * `Maximum Display` the reports `show license rum id all` lists; MIA (missing) is never counted here. The
 * bracketed values have no definition in the reference (lab readings).
 */
function reportSummary(s: SlpView): string[] {
  const closed = s.reports.filter((r) => r.state === 'CLOSED').length;
  const open = s.reports.length - closed;
  const waiting = s.states.push.endsWith('polling') ? closed : 0;
  const total = s.acked + s.purged + s.reports.length;
  return [
    ...titled('Usage Report Summary:'),
    `Total: ${total},  Purged: ${s.purged}(${s.purged})`,
    `Total Acknowledged Received: ${s.acked},  Waiting for Ack: ${waiting}(${closed})`,
    `Available to Report: ${closed}  Collecting Data: ${open}  `,
    `Maximum Display: ${s.ackedReports.length + s.reports.length}  In Storage: ${s.reports.length},  MIA: 0(0)`,
    'Report Module Status: Ready',
  ];
}

/** The six fields §4.10 lists; with SLR / PLR configured, `show license reservation`'s lines. */
function reservation(view: DeviceView, s: SlpView): string[] {
  const r = s.reservation;
  const shown: boolean = reservationShown(r);
  const body = shown
    ? reservationInfo(view)
    : [
        'License reservation: DISABLED',
        'Reservation status: NOT INSTALLED',
        `Request code: ${r.requestCode ?? '<none>'}`,
        `Last return code: ${r.lastReturnCode ?? '<none>'}`,
        `Last Confirmation code: ${r.lastConfirmationCode ?? '<none>'}`,
        `Reservation authorization code: ${r.authorizationCode ?? '<none>'}`,
      ];
  return [...titled('Reservation Info'), ...body];
}

const TRANSPORT_NAME = { smart: 'Smart', cslu: 'cslu', off: 'Transport Off', callhome: 'Callhome' } as const;

/** The captured items; `TrustId` and NTP sync are not modelled, so left out (lab choice). */
function otherInfo(s: SlpView): string[] {
  const trusted = s.trust !== undefined;
  return [
    ...titled('Other Info'),
    `Agent State: ${trusted || s.usageReporting.lastAckAt !== undefined ? 'authorized' : 'initialized'}`,
    `Transport: ${TRANSPORT_NAME[s.transport.type]}`,
    `  Default URL: ${s.transport.smartUrl}`,
    'Message Version: 1.3',
    'connect_info.name: SSM',
    'connect_info.version: 1.3',
    'connect_info.capabilities: DLC, AppHA, EXPORT_2, POLICY_USAGE, UTILITY, TELEMETRY, TELEMETRY_POLICY',
    'agent.capabilities: UTILITY, DLC, AppHA, MULTITIER, EXPORT_2, OK_TRY_AGAIN, POLICY_USAGE, TELEMETRY, TELEMETRY_POLICY',
    'SmartAgentTelemetryRumReportMax: 600',
    'SmartAgentMaxRumMemory: 50',
    'attr365DayEvalSyslog: True',
    'Event log max size: 5120 KB',
    `Local Device: P:${s.udi.pid},S:${s.udi.sn}, state[2], Trust Data ${trusted ? 'INSTALLED' : 'NOT INSTALLED'}`,
    `Overall Trust: ${trusted ? 'INSTALLED (2)' : 'NOT INSTALLED (0)'}`,
  ];
}

export function showLicenseTechSupportSlp(view: DeviceView): string {
  const s = slpOf(view);
  const date = dateOf(view);
  const sections = [
    [...titled('Smart Licensing Status'), '', ...slpStatusLines(view, internals(s))],
    licenseUsage(s, date),
    communication(s, date),
    reportSummary(s),
    reservation(view, s),
    [...titled('License Certificates'), 'Production Cert: True', 'Not registered. No certificates installed'],
    [
      ...titled('HA Info'),
      'RP Role: Active',
      'Chassis Role: Active',
      'Behavior Role: Active',
      'RMF: True',
      'CF: True',
      'CF State: Stateless',
      'Message Flow Allowed: True',
    ],
    otherInfo(s),
  ];
  return text(['Smart Licensing Tech Support info', '', ...sections.flatMap((b) => [...b, ''])]);
}
