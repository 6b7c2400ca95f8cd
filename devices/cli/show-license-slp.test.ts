/**
 * SLP show commands byte for byte against the captures (smart-licensing.md §4.5–4.9), each rendered from a
 * real 17.x device's view with the capture's dates, names and policy put in; and the SLP exec and config
 * commands through the shell.
 */
import { describe, expect, it } from 'vitest';
import { DAY, parseSlpFile, publicKeyFromSpki, verifyBytes, type RumReport } from '#protocol';
import type { SlpView } from '../licensing/slp-view.ts';
import { ackFor, lines, slpFile, slpLab } from '../licensing/slp.test-support.ts';
import type { DeviceView } from './cli-device.ts';
import { refusalIn } from './refusal.ts';
import { showLicenseStatusSlp } from './show-license-status-slp.ts';
import { showLicenseSummarySlp } from './show-license-summary-slp.ts';
import { showLicenseUsageSlp } from './show-license-usage-slp.ts';

const utc = (s: string) => Date.parse(`${s}Z`);
const EDT = { name: 'EDT', offsetMinutes: -240 };
const EST = { name: 'est', offsetMinutes: -300 };

/** A real device's view with `slp` fields patched to a capture's values. */
function viewWith(
  patch: (s: SlpView) => SlpView,
  tz = { name: 'UTC', offsetMinutes: 0 },
  release?: string,
): DeviceView {
  const lab = slpLab();
  const d = lab.device(release ? { release } : {});
  const v = d.view();
  return { ...v, clock: { ...v.clock, timezone: tz }, slp: patch(v.slp!) };
}

const defaultBlock = (tag: string) => `  Reporting ACK required: yes (${tag})
  Unenforced/Non-Export Perpetual Attributes:
    First report requirement (days): 365 (${tag})
    Reporting frequency (days): 0 (${tag})
    Report on change (days): 90 (${tag})
  Unenforced/Non-Export Subscription Attributes:
    First report requirement (days): 90 (${tag})
    Reporting frequency (days): 90 (${tag})
    Report on change (days): 90 (${tag})
`;
const HEAD = `Utility:
  Status: DISABLED

Smart Licensing Using Policy:
  Status: ENABLED

`;
const PRIVACY = `Data Privacy:
  Sending Hostname: yes
    Callhome hostname privacy: DISABLED
    Smart Licensing hostname privacy: DISABLED
  Version privacy: DISABLED

`;

describe('show license status (SLP)', () => {
  it('§4.6: default policy, transport off (NTC status2)', () => {
    const view = viewWith(
      (s) => ({
        ...s,
        transport: { ...s.transport, type: 'off' },
        usageReporting: {
          lastAckAt: utc('2023-11-08T14:31:23'),
          nextAckDeadline: utc('2023-11-08T14:31:23') + 90 * DAY,
          pushIntervalDays: 30,
          nextReportPush: utc('2024-06-12T15:09:56'),
          lastReportPush: utc('2023-11-09T15:18:00'),
        },
      }),
      EDT,
    );
    expect(showLicenseStatusSlp(view)).toBe(`${HEAD}Account Information:
  Smart Account: <none>
  Virtual Account: <none>

${PRIVACY}Transport:
  Type: Transport Off

Policy:
  Policy in use: Merged from multiple sources.
${defaultBlock('CISCO default')}  Enforced (Perpetual/Subscription) License Attributes:
    First report requirement (days): 0 (CISCO default)
    Reporting frequency (days): 0 (CISCO default)
    Report on change (days): 0 (CISCO default)
  Export (Perpetual/Subscription) License Attributes:
    First report requirement (days): 0 (CISCO default)
    Reporting frequency (days): 0 (CISCO default)
    Report on change (days): 0 (CISCO default)

Miscellaneous:
  Custom Id: <empty>

Usage Reporting:
  Last ACK received: Nov 08 10:31:23 2023 EDT
  Next ACK deadline: Feb 06 10:31:23 2024 EDT
  Reporting push interval: 30  days
  Next ACK push check: <none>
  Next report push: Jun 12 11:09:56 2024 EDT
  Last report push: Nov 09 11:18:00 2023 EDT
  Last report file write: <none>

Trust Code Installed: <none>
`);
  });

  it('§4.5: CSLU transport, custom policy installed, account from the ACK (GENIE golden_output1; stack trust block aside)', () => {
    const days = (f: number, r: number, c: number) => ({
      first_report: f,
      reporting_frequency: r,
      report_on_change: c,
    });
    const policy = {
      name: 'Custom Policy',
      origin: 'Customer Policy' as const,
      ack_required: true,
      unenforced_perpetual: days(365, 0, 90),
      unenforced_subscription: days(90, 90, 90),
      enforced: days(365, 90, 90),
      export: days(365, 90, 90),
    };
    const view = viewWith((s) => ({
      ...s,
      account: { smartAccount: 'SA-Switching-Polaris', virtualAccount: 'SLE_Test', asOf: utc('2021-10-14T12:10:01') },
      policy: { policy, installedAt: utc('2021-10-14T11:37:52') },
      usageReporting: {
        lastAckAt: utc('2021-10-14T12:10:32'),
        nextAckDeadline: utc('2022-01-12T12:10:32'),
        pushIntervalDays: 30,
        nextReportPush: utc('2021-10-22T04:33:08'),
        lastReportPush: utc('2021-10-14T12:09:30'),
      },
    }));
    const out = showLicenseStatusSlp(view);
    expect(out.slice(0, out.indexOf('Trust Code Installed:'))).toBe(`${HEAD}Account Information:
  Smart Account: SA-Switching-Polaris As of Oct 14 12:10:01 2021 UTC
  Virtual Account: SLE_Test

${PRIVACY}Transport:
  Type: cslu
  Cslu address: <empty>
  Proxy:
    Not Configured
  VRF:
    Not Configured

Policy:
  Policy in use: Installed On Oct 14 11:37:52 2021 UTC
  Policy name: Custom Policy
${defaultBlock('Customer Policy')}  Enforced (Perpetual/Subscription) License Attributes:
    First report requirement (days): 365 (Customer Policy)
    Reporting frequency (days): 90 (Customer Policy)
    Report on change (days): 90 (Customer Policy)
  Export (Perpetual/Subscription) License Attributes:
    First report requirement (days): 365 (Customer Policy)
    Reporting frequency (days): 90 (Customer Policy)
    Report on change (days): 90 (Customer Policy)

Miscellaneous:
  Custom Id: <empty>

Usage Reporting:
  Last ACK received: Oct 14 12:10:32 2021 UTC
  Next ACK deadline: Jan 12 12:10:32 2022 UTC
  Reporting push interval: 30  days
  Next ACK push check: <none>
  Next report push: Oct 22 04:33:08 2021 UTC
  Last report push: Oct 14 12:09:30 2021 UTC
  Last report file write: <none>

`);
  });

  it('§4.7: Smart transport (NTC status3 transport block), no reporting, one-line trust code (NTC status4)', () => {
    const view = viewWith(
      (s) => ({
        ...s,
        transport: { ...s.transport, type: 'smart' },
        usageReporting: {
          lastAckAt: utc('2024-08-03T14:03:25'),
          nextAckDeadline: utc('2025-08-03T14:03:25'),
          pushIntervalDays: 0,
          nextAckPushCheck: utc('2024-08-03T14:05:29'),
          lastReportPush: utc('2024-08-03T14:03:26'),
        },
        trust: { installedAt: utc('2024-08-03T14:02:50'), validFrom: 0, validUntil: 0 },
      }),
      EST,
      '17.12.4',
    );
    const out = showLicenseStatusSlp(view);
    expect(out).toContain(`Transport:
  Type: Smart
  URL: https://smartreceiver.cisco.com/licservice/license
  Proxy:
    Not Configured
  VRF:
    Not Configured

Policy:
`);
    expect(out.slice(out.indexOf('Usage Reporting:'))).toBe(`Usage Reporting:
  Last ACK received: Aug 03 09:03:25 2024 est
  Next ACK deadline: Aug 03 09:03:25 2025 est
  Reporting push interval: 0 (no reporting)
  Next ACK push check: Aug 03 09:05:29 2024 est
  Next report push: <none>
  Last report push: Aug 03 09:03:26 2024 est
  Last report file write: <none>

Trust Code Installed: Aug 03 09:02:50 2024 est
 
Device Telemetry Report Summary:
================================
Data Channel: AVAILABLE
Reports on disk: 0 
`);
  });
});

describe('show license summary / usage (SLP)', () => {
  const described = (s: SlpView, names: string[], count: number): SlpView => ({
    ...s,
    licenses: s.licenses.map((l, i) => ({ ...l, description: names[i]!, count })),
  });

  it('§4.8 first form (17.3): no indent, `Entitlement Tag`, cut descriptions', () => {
    const view = viewWith(
      (s) => described(s, ['C9300-48 Network Advantage', 'C9300-48 DNA Advantage'], 1),
      undefined,
      '17.3.4',
    );
    expect(showLicenseSummarySlp(view)).toBe(`License Usage:
License                 Entitlement Tag               Count Status
-----------------------------------------------------------------------------
network-advantage       (C9300-48 Network Advan...)       1 IN USE
dna-advantage           (C9300-48 DNA Advantage)          1 IN USE
`);
  });

  it('§4.8 later form (17.9): account information, indented table', () => {
    const view = viewWith((s) => described(s, ['C9300-24 Network Advantage', 'C9300-24 DNA Advantage'], 2));
    expect(showLicenseSummarySlp(view)).toBe(`Account Information:
  Smart Account: <none>
  Virtual Account: <none>

License Usage:
  License                 Entitlement Tag               Count Status
  -----------------------------------------------------------------------------
  network-advantage       (C9300-24 Network Advan...)       2 IN USE
  dna-advantage           (C9300-24 DNA Advantage)          2 IN USE
`);
  });

  it('§4.9 show license usage: Not Applicable, perpetual and subscription', () => {
    const view = viewWith((s) => described(s, ['C9300-24 Network Advantage', 'C9300-24 DNA Advantage'], 2));
    expect(showLicenseUsageSlp(view)).toBe(`License Authorization:
  Status: Not Applicable

network-advantage (C9300-24 Network Advantage):
  Description: C9300-24 Network Advantage
  Count: 2
  Version: 1.0
  Status: IN USE
  Export status: NOT RESTRICTED
  Feature Name: network-advantage
  Feature Description: C9300-24 Network Advantage
  Enforcement type: NOT ENFORCED
  License type: Perpetual

dna-advantage (C9300-24 DNA Advantage):
  Description: C9300-24 DNA Advantage
  Count: 2
  Version: 1.0
  Status: IN USE
  Export status: NOT RESTRICTED
  Feature Name: dna-advantage
  Feature Description: C9300-24 DNA Advantage
  Enforcement type: NOT ENFORCED
  License type: Subscription
`);
  });
});

describe('SLP commands through the shell', () => {
  const config = (d: { exec(l: string): string }, ...cmds: string[]) =>
    [d.exec('configure terminal'), ...cmds.map((c) => d.exec(c)), d.exec('end')].join('');

  it('configures transport, URL and interval in the running configuration, shown by show license status', () => {
    const d = slpLab().device();
    expect(
      config(
        d,
        'license smart transport smart',
        'license smart url smart https://cssm.lab:8443/x',
        'license smart usage interval 7',
        'license smart enable',
      ),
    ).toBe('Enter configuration commands, one per line.  End with CNTL/Z.\n');
    const out = d.exec('show license status');
    expect(out).toContain('  Type: Smart\n  URL: https://cssm.lab:8443/x\n');
    expect(out).toContain('  Reporting push interval: 7  days\n');
    config(d, 'license smart transport cslu', 'license smart url cslu http://10.1.1.5:8182/cslu/v1/pi');
    expect(d.exec('show license status')).toContain('  Cslu address: http://10.1.1.5:8182/cslu/v1/pi\n');
    expect(refusalIn(config(d, 'license smart url cslu ftp://x'))).toBe(
      '% Invalid URL ftp://x: http:// or https:// expected',
    );
    d.exec('write memory');
    d.exec('reload');
  });

  it('saves usage to flash as a signed smartLicense file, imports the ACK, refuses what it must', async () => {
    const lab = slpLab();
    const d = lab.device();
    config(d, 'license smart transport off');
    await lab.clock.advance(30 * DAY);
    expect(d.exec('license smart save usage unreported file flash:usage.xml')).toBe('');
    const file = parseSlpFile(
      d.readFile('flash:usage.xml').ok ? (d.readFile('flash:usage.xml') as { output: string }).output : '',
    );
    expect(file.ok).toBe(true);
    const reports = (file.ok ? file.value : []).map((e) => e.value as RumReport);
    expect(reports).toHaveLength(4);
    const key = publicKeyFromSpki(reports[0]!.signature.key)!;
    expect(reports.every((r) => verifyBytes(r.payload, r.signature.value, key))).toBe(true);
    expect(d.exec('show license status')).toMatch(/Last report file write: Apr 12 08:00:00 2026 UTC/);
    const ids = d
      .slp()!
      .reports.filter((r) => r.state === 'CLOSED')
      .map((r) => r.id);
    expect(refusalIn(d.exec(`license smart save usage rum-Id 12 file flash:one.xml`))).toBe(
      '% RUM report 12 is not on this device',
    );
    expect(d.exec(`license smart save usage rum-Id ${ids[0]} file flash:one.xml`)).toBe('');
    d.putFile('flash:ack.xml', slpFile([ackFor(d, ids)]));
    expect(d.exec('license smart import flash:ack.xml')).toBe('Import Data Successful\n');
    expect(lines(d, 'RUM_ACK_RECEIVED')).toHaveLength(1);
    expect(refusalIn(d.exec('license smart import flash:ack.xml'))).toMatch(
      /^% Import of flash:ack.xml failed: it acknowledges reports this device does not hold/,
    );
    expect(refusalIn(d.exec('license smart import flash:none.xml'))).toMatch(/^%Error opening flash:none.xml/);
    expect(refusalIn(d.exec('license smart sync all'))).toMatch(/^% License sync needs a transport/);
    expect(refusalIn(d.exec('license smart trust idtoken TOKEN local'))).toMatch(
      /^% A trust code is installed over Smart transport; the transport is off/,
    );
    expect(d.exec('license smart factory reset')).toBe('');
    expect(d.slp()!.usageReporting.lastAckAt).toBeUndefined();
  });

  it('asks for a SLAC from the shell; refuses a license that needs none', async () => {
    const lab = slpLab();
    const r = lab.device({ pid: 'ISR4451-X/K9', sn: 'FGL2231A0AE', release: '17.12.4', bootLevel: 'appxk9' });
    expect(refusalIn(r.exec('license smart authorization request add appxk9 local'))).toBe(
      '% appxk9 is neither enforced nor export-controlled: it needs no authorization code',
    );
    expect(r.exec('license smart authorization request add hseck9 local')).toBe('');
    await lab.clock.advance(10 * 60_000);
    expect(r.exec('show license summary')).toContain(
      '  hseck9                  (U.S. Export Restrictio...)       1 IN USE\n',
    );
  });

  it('offers only the SLP trees: no register, no classic shows', () => {
    const d = slpLab().device();
    expect(d.exec('license smart register idtoken X')).toMatch(/% Invalid input detected/);
    expect(d.exec('show license all')).toMatch(/% Invalid input detected/);
    expect(d.exec('show license usage')).toContain('Status: Not Applicable');
    expect(d.exec('license smart trust idtoken T ?')).toContain('local');
  });
});
