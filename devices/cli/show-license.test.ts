/** Every status string, the summary column rules, usage, udi and tech-support. */
import { describe, expect, it } from 'vitest';
import { findPlatform } from '../kinds/registry.ts';
import type {
  AuthorizationStatus,
  EntitlementInUse,
  RegistrationStatus,
  SmartLicensingView,
} from '../licensing/smart-view.ts';
import { makeView, UNREGISTERED_SMART } from './fake-cli-device.test-support.ts';
import { showLicenseStatus } from './show-license-status.ts';
import { showLicenseSummary } from './show-license-summary.ts';
import { remainingText, showLicenseTechSupport } from './show-license-tech-support.ts';
import { showLicenseUdi } from './show-license-udi.ts';
import { showLicenseUsage } from './show-license-usage.ts';
import { ENFORCE_MODE } from './smart-strings.ts';
import { summaryRow, summaryTable } from './summary-table.ts';
import { MINUTE, DAY } from '#protocol';

const T = Date.UTC(2024, 2, 13, 8, 9, 28);
const smart = (over: Partial<SmartLicensingView>): SmartLicensingView => ({ ...UNREGISTERED_SMART, ...over });
const statusOf = (s: SmartLicensingView) => showLicenseStatus(makeView({ smart: s }));

describe('status strings', () => {
  const registration: [RegistrationStatus, string][] = [
    ['unregistered', 'UNREGISTERED'],
    ['inProgress', 'REGISTERING - REGISTRATION IN PROGRESS'],
    ['failed', 'UNREGISTERED - REGISTRATION FAILED'],
    ['retrying', 'UNREGISTERED - REGISTRATION FAILED'],
    ['registered', 'REGISTERED'],
  ];
  it.each(registration)('registration %s prints %s', (status, text) => {
    expect(statusOf(smart({ registration: { status, exportControlled: false } }))).toContain(
      `Registration:\n  Status: ${text}\n`,
    );
  });

  const authorization: [AuthorizationStatus, string][] = [
    ['none', 'No licenses in use'],
    ['eval', 'EVAL MODE'],
    ['evalExpired', 'EVAL EXPIRED'],
    ['pending', 'AUTHORIZATION PENDING'],
    ['authorized', 'AUTHORIZED on Mar 13 08:09:28 2024 UTC'],
    ['outOfCompliance', 'OUT OF COMPLIANCE on Mar 13 08:09:28 2024 UTC'],
    ['authorizationExpired', 'AUTHORIZATION EXPIRED on Mar 13 08:09:28 2024 UTC'],
  ];
  it.each(authorization)('authorization %s prints %s', (status, text) => {
    const since = ['authorized', 'outOfCompliance', 'authorizationExpired'].includes(status) ? T : undefined;
    const out = statusOf(
      smart({ authorization: { status, evaluationRemainingMs: 1000, ...(since ? { since } : {}) } }),
    );
    expect(out).toContain(`License Authorization: \n  Status: ${text}\n`);
    expect(out.includes('Evaluation Period Remaining: 0 days, 0 hours, 0 minutes, 1 seconds')).toBe(status === 'eval');
  });

  it('prints failed attempts with their reason, and the retry time', () => {
    const out = statusOf(
      smart({
        registration: {
          status: 'retrying',
          exportControlled: false,
          initialRegistration: { ok: false, at: T, reason: 'Fail to send out Call Home HTTP message.' },
          nextRegistrationAttempt: T + 15 * MINUTE,
        },
      }),
    );
    expect(out).toContain(
      '  Initial Registration: FAILED on Mar 13 08:09:28 2024 UTC\n    Failure reason: Fail to send out Call Home HTTP message.\n  Next Registration Attempt: Mar 13 08:24:28 2024 UTC\n',
    );
    expect(out).not.toContain('Last Renewal Attempt');
  });

  it('prints a failed renewal and communication attempt', () => {
    const out = statusOf(
      smart({
        registration: {
          status: 'registered',
          exportControlled: false,
          lastRenewalAttempt: { ok: false, at: T, reason: 'Timeout' },
        },
        authorization: {
          status: 'authorized',
          since: T,
          lastCommunicationAttempt: { ok: false, at: T },
          evaluationRemainingMs: 0,
        },
      }),
    );
    expect(out).toContain('  Last Renewal Attempt: FAILED on Mar 13 08:09:28 2024 UTC\n    Failure reason: Timeout\n');
    expect(out).toContain('  Last Communication Attempt: FAILED on Mar 13 08:09:28 2024 UTC\n\n');
  });

  it('prints the Smart transport with its URL', () => {
    const out = statusOf(
      smart({ transport: { type: 'Smart', url: 'https://smartreceiver.cisco.com/licservice/license' } }),
    );
    expect(out).toContain(
      'Transport:\n  Type: Smart\n  URL: https://smartreceiver.cisco.com/licservice/license\n  Proxy:\n    Not Configured\n',
    );
  });

  it('prints only the headline when the agent is disabled', () => {
    expect(statusOf(smart({ enabled: false }))).toBe('Smart Licensing is DISABLED\n');
    expect(showLicenseSummary(makeView({ smart: smart({ enabled: false }) }))).toBe('Smart Licensing is DISABLED\n');
  });

  it('maps every enforce mode', () => {
    expect(Object.values(ENFORCE_MODE)).toEqual([
      'WAITING',
      'AUTHORIZED',
      'OUT OF COMPLIANCE',
      'EVAL MODE',
      'EVAL EXPIRED',
      'AUTHORIZATION EXPIRED',
      'INVALID TAG',
      'DISABLED',
    ]);
  });
});

describe('summary columns (smart-licensing.md §4.8)', () => {
  it('reproduces the SLP capture rows', () => {
    expect(
      summaryRow({ license: 'network-advantage', tag: 'C9300-48 Network Advantage', count: 1, status: 'IN USE' }),
    ).toBe('network-advantage       (C9300-48 Network Advan...)       1 IN USE');
    expect(summaryRow({ license: 'dna-advantage', tag: 'C9300-48 DNA Advantage', count: 1, status: 'IN USE' })).toBe(
      'dna-advantage           (C9300-48 DNA Advantage)          1 IN USE',
    );
    expect(summaryRow({ license: 'network-premier_5G', tag: 'ESR_P_5G_P', count: 1, status: 'IN USE' })).toBe(
      'network-premier_5G      (ESR_P_5G_P)                      1 IN USE',
    );
  });

  it('cuts the name to 20 + ... and the tag to 22 + ..., right-aligns the count at column 58', () => {
    const row = summaryRow({ license: 'A'.repeat(30), tag: 'B'.repeat(26), count: 1234, status: 'AUTHORIZED' });
    expect(row).toBe(`${'A'.repeat(20)}... (${'B'.repeat(22)}...)    1234 AUTHORIZED`);
    expect(row.indexOf('1234') + 3).toBe(58);
    expect(summaryRow({ license: 'A'.repeat(23), tag: 'B'.repeat(25), count: 2, status: 'X' })).toBe(
      `${'A'.repeat(23)} (${'B'.repeat(25)})       2 X`,
    );
  });

  it('writes the header and the 77-dash rule', () => {
    expect(summaryTable([], '', 'Entitlement Tag')).toEqual([
      'License                 Entitlement Tag               Count Status',
      '-'.repeat(77),
    ]);
  });
});

const entitlement = (over: Partial<EntitlementInUse> = {}): EntitlementInUse => ({
  tag: 'regid.2018-05.com.cisco.C9300-DNA-E-48,1.0_e213fd3f-18f9-4940-a21c-617b92efdaae',
  shortName: 'C9300-DNA-E-48',
  description: 'C9300-48 DNA Essentials',
  feature: 'dna-essentials',
  count: 1,
  version: '1.0',
  enforceMode: 'authorized',
  exportControlled: false,
  ...over,
});

describe('show license usage', () => {
  it('prints one block per entitlement under the authorization status', () => {
    const view = makeView({
      smart: smart({
        registration: { status: 'registered', exportControlled: true },
        authorization: { status: 'authorized', since: T, evaluationRemainingMs: 0 },
        entitlements: [
          entitlement(),
          entitlement({ shortName: 'hseck9', description: '', enforceMode: 'waiting', exportControlled: true }),
        ],
      }),
    });
    expect(showLicenseUsage(view)).toBe(`License Authorization: 
  Status: AUTHORIZED on Mar 13 08:09:28 2024 UTC

C9300-48 DNA Essentials (C9300-DNA-E-48):
  Description: C9300-48 DNA Essentials
  Count: 1
  Version: 1.0
  Status: AUTHORIZED
  Export status: NOT RESTRICTED

(hseck9):
  Description: 
  Count: 1
  Version: 1.0
  Status: WAITING
  Export status: RESTRICTED - ALLOWED

`);
  });

  it('says when nothing is in use', () => {
    expect(showLicenseUsage(makeView())).toBe('License Authorization: \n  Status: EVAL MODE\n\nNo licenses in use\n\n');
  });
});

describe('show license udi (traditional-licensing-snmp-platforms.md A.5.5)', () => {
  it('prints the Smart Licensing UDI line', () => {
    expect(showLicenseUdi(makeView())).toBe('UDI: PID:C9300-24P,SN:FCW2144L045\n\n');
  });

  it('prints the ISR G2 table on traditional images', () => {
    const view = makeView({
      licensingMode: 'traditional',
      platform: findPlatform('CISCO2911/K9'),
      udi: { pid: 'CISCO2911/K9', sn: 'JTV1635T41W' },
    });
    expect(showLicenseUdi(view)).toBe(
      `Device#   PID                   SN              UDI\n${'-'.repeat(77)}\n*0        CISCO2911/K9          JTV1635T41W     CISCO2911/K9:JTV1635T41W\n\n`,
    );
  });

  it('lists the licensed PID where it differs from the chassis (3925: its SPE, A.5.5 S-ESCCNA)', () => {
    const view = makeView({
      licensingMode: 'traditional',
      platform: findPlatform('CISCO3925/K9'),
      udi: { pid: 'CISCO3925/K9', sn: 'FHH13030044' },
    });
    expect(showLicenseUdi(view)).toBe(
      `Device#   PID                   SN              UDI\n${'-'.repeat(77)}\n*0        C3900-SPE100/K9       FHH13030044     C3900-SPE100/K9:FHH13030044\n\n`,
    );
  });
});

describe('show license tech-support', () => {
  const now = Date.UTC(2024, 2, 13, 8, 10, 0);
  const view = makeView({
    clock: { now, timezone: { name: 'UTC', offsetMinutes: 0 }, authoritative: true },
    smart: smart({
      registration: {
        status: 'registered',
        exportControlled: false,
        initialRegistration: { ok: true, at: T },
        nextRenewalAttempt: T + 180 * DAY,
        registrationExpires: T + 365 * DAY,
      },
      authorization: {
        status: 'authorized',
        since: T,
        lastCommunicationAttempt: { ok: false, at: T, reason: 'Fail to send out Call Home HTTP message.' },
        nextCommunicationAttempt: now + 2000,
        communicationDeadline: now - 1,
        evaluationRemainingMs: 0,
      },
    }),
  });
  const out = showLicenseTechSupport(view);

  it('opens with the status section of show license all', () => {
    expect(
      out.startsWith(
        'Smart Licensing Tech Support info\n\nSmart Licensing Status\n======================\n\nSmart Licensing is ENABLED\n',
      ),
    ).toBe(true);
    expect(out).toContain(
      'Product Information\n===================\nUDI: PID:C9300-24P,SN:FCW2144L045\n\nAgent Version\n=============\nSmart Agent for Licensing: 4.8.5.4_rel/22\n',
    );
  });

  it('lists the upcoming jobs from the view', () => {
    expect(out).toContain(`Upcoming Scheduled Jobs
=======================
Current time: Mar 13 08:10:00 2024 UTC
Authorization Renewal: Mar 13 08:10:02 2024 UTC (2 seconds remaining)
ID Certificate Renewal: Sep 09 08:09:28 2024 UTC (179 days, 23 hours, 59 minutes, 28 seconds remaining)
Registration Retry: Expired Not Rescheduled
Register Period Expiration Check: Mar 13 08:09:28 2025 UTC (364 days, 23 hours, 59 minutes, 28 seconds remaining)
Communication Deadline: Expired Not Rescheduled
Evaluation Expiration: Expired Not Rescheduled
`);
  });

  it('prints a communication block per exchange', () => {
    expect(out).toContain(`Communication Statistics:
=======================
Communication Level Allowed: DIRECT
Overall State: <empty>
Registration:
  Last Response: OK on Mar 13 08:09:28 2024 UTC
    Failure Reason: <none>
  Last Success Time: Mar 13 08:09:28 2024 UTC
  Last Failure Time: <none>
ID Certificate Renewal:
  Last Response: <none>
    Failure Reason: <none>
  Last Success Time: <none>
  Last Failure Time: <none>
Authorization Request:
  Last Response: NO REPLY on Mar 13 08:09:28 2024 UTC
    Failure Reason: Fail to send out Call Home HTTP message.
  Last Success Time: <none>
  Last Failure Time: Mar 13 08:09:28 2024 UTC
`);
  });

  it('drops leading zero units in remaining times', () => {
    expect(remainingText(((6 * 60 + 53) * 60 + 4) * 1000)).toBe('6 hours, 53 minutes, 4 seconds');
    expect(remainingText((14 * 60 + 10) * 1000)).toBe('14 minutes, 10 seconds');
    expect(remainingText(DAY)).toBe('1 days, 0 hours, 0 minutes, 0 seconds');
  });
});
