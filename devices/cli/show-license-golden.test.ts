/**
 * Golden outputs: views built with the values of real captures must print the captures byte for byte
 * (smart-licensing.md §4.1–4.4). Blank lines that hold a single space in a capture (a device or capture
 * artefact, §4) are compared as empty lines, and the unindented `Virtual Account:` of ShowLicenseAll
 * golden_output_3 (a capture artefact, §4.4) as indented.
 */
import { describe, expect, it } from 'vitest';
import type { SmartLicensingView } from '../licensing/smart-view.ts';
import { makeView, UNREGISTERED_SMART } from './fake-cli-device.test-support.ts';
import { showLicenseAll } from './show-license-all.ts';
import { showLicenseStatus } from './show-license-status.ts';
import { showLicenseSummary } from './show-license-summary.ts';

const at = (s: string): number => Date.parse(`${s}Z`);
const blankSpaces = (s: string): string => s.replace(/^ $/gm, '');

/** GENIE ShowLicenseStatus/golden_output2 (CSR1000V), prompt lines removed. */
const GOLDEN_OUTPUT2 = `Smart Licensing is ENABLED
 
Utility:
  Status: DISABLED
 
Data Privacy:
  Sending Hostname: yes
    Callhome hostname privacy: DISABLED
    Smart Licensing hostname privacy: DISABLED
  Version privacy: DISABLED
 
Transport:
  Type: Callhome
 
Registration:
  Status: REGISTERED
  Smart Account: Cisco Systems, TAC
  Virtual Account: RADKit-LMM-NA
  Export-Controlled Functionality: ALLOWED
  Initial Registration: SUCCEEDED on Mar 13 08:09:24 2024 UTC
  Last Renewal Attempt: None
  Next Renewal Attempt: Sep 09 08:09:23 2024 UTC
  Registration Expires: Mar 13 08:04:56 2025 UTC
 
License Authorization: 
  Status: AUTHORIZED on Mar 13 08:09:28 2024 UTC
  Last Communication Attempt: SUCCEEDED on Mar 13 08:09:28 2024 UTC
  Next Communication Attempt: Apr 12 08:09:28 2024 UTC
  Communication Deadline: Jun 11 08:05:02 2024 UTC
 
Export Authorization Key:
  Features Authorized:
    <none>
 
 
`;

const registered = (over: Partial<SmartLicensingView['registration']> = {}): SmartLicensingView['registration'] => ({
  status: 'registered',
  smartAccount: 'Cisco Systems, TAC',
  virtualAccount: 'RADKit-LMM-NA',
  exportControlled: true,
  initialRegistration: { ok: true, at: at('2024-03-13T08:09:24') },
  nextRenewalAttempt: at('2024-09-09T08:09:23'),
  registrationExpires: at('2025-03-13T08:04:56'),
  ...over,
});

const authorized: SmartLicensingView['authorization'] = {
  status: 'authorized',
  since: at('2024-03-13T08:09:28'),
  lastCommunicationAttempt: { ok: true, at: at('2024-03-13T08:09:28') },
  nextCommunicationAttempt: at('2024-04-12T08:09:28'),
  communicationDeadline: at('2024-06-11T08:05:02'),
  evaluationRemainingMs: 0,
};

const smart = (over: Partial<SmartLicensingView>): SmartLicensingView => ({ ...UNREGISTERED_SMART, ...over });

describe('show license status', () => {
  it('prints REGISTERED / AUTHORIZED as GENIE golden_output2', () => {
    const view = makeView({ smart: smart({ registration: registered(), authorization: authorized }) });
    expect(showLicenseStatus(view)).toBe(blankSpaces(GOLDEN_OUTPUT2));
  });

  it('prints REGISTERED / OUT OF COMPLIANCE as NTC status1 (+12 h next attempt)', () => {
    const ntcStatus1 = `Smart Licensing is ENABLED

Utility:
  Status: DISABLED

Data Privacy:
  Sending Hostname: yes
    Callhome hostname privacy: DISABLED
    Smart Licensing hostname privacy: DISABLED
  Version privacy: DISABLED

Transport:
  Type: Callhome

Registration:
  Status: REGISTERED
  Smart Account: ACME Corporation
  Virtual Account: Wile E. Coyote
  Export-Controlled Functionality: ALLOWED
  Initial Registration: SUCCEEDED on Aug 22 18:58:03 2022 UTC
  Last Renewal Attempt: None
  Next Renewal Attempt: Feb 18 18:58:03 2023 UTC
  Registration Expires: Aug 22 18:52:49 2023 UTC

License Authorization: 
  Status: OUT OF COMPLIANCE on Aug 22 18:58:17 2022 UTC
  Last Communication Attempt: SUCCEEDED on Aug 22 18:58:17 2022 UTC
  Next Communication Attempt: Aug 23 06:58:17 2022 UTC
  Communication Deadline: Nov 20 18:53:16 2022 UTC

Export Authorization Key:
  Features Authorized:
    <none>`;
    const view = makeView({
      smart: smart({
        registration: registered({
          smartAccount: 'ACME Corporation',
          virtualAccount: 'Wile E. Coyote',
          initialRegistration: { ok: true, at: at('2022-08-22T18:58:03') },
          nextRenewalAttempt: at('2023-02-18T18:58:03'),
          registrationExpires: at('2023-08-22T18:52:49'),
        }),
        authorization: {
          status: 'outOfCompliance',
          since: at('2022-08-22T18:58:17'),
          lastCommunicationAttempt: { ok: true, at: at('2022-08-22T18:58:17') },
          nextCommunicationAttempt: at('2022-08-23T06:58:17'),
          communicationDeadline: at('2022-11-20T18:53:16'),
          evaluationRemainingMs: 0,
        },
      }),
    });
    expect(showLicenseStatus(view).trimEnd()).toBe(ntcStatus1);
  });

  it('prints dates in the configured time zone', () => {
    const view = makeView({
      clock: { now: 0, timezone: { name: 'EDT', offsetMinutes: -240 }, authoritative: true },
      smart: smart({ registration: registered(), authorization: authorized }),
    });
    expect(showLicenseStatus(view)).toContain('  Initial Registration: SUCCEEDED on Mar 13 04:09:24 2024 EDT\n');
  });
});

describe('show license summary (16.9 format, C9K-ANSIBLE C9200L on 16.9.1)', () => {
  const release = {
    version: '16.9.1',
    os: 'IOS XE' as const,
    image: 'cat9k_lite_iosxe.16.09.01.SPA.bin',
    modes: ['smart' as const],
    defaultMode: 'smart' as const,
  };
  const entitlement = (shortName: string, description: string, enforceMode: 'evaluationPeriod' | 'authorized') => ({
    tag: `regid.2018-06.com.cisco.${shortName},1.0_x`,
    shortName,
    description,
    feature: 'network-essentials',
    count: 1,
    version: '1.0',
    enforceMode,
    exportControlled: false,
  });

  it('prints EVAL MODE with a blank License column', () => {
    const view = makeView({
      release,
      smart: smart({
        authorization: { status: 'eval', evaluationRemainingMs: ((71 * 24 + 22) * 3600 + 60 + 59) * 1000 },
        entitlements: [
          entitlement('C9200L-NW-E-48', '', 'evaluationPeriod'),
          entitlement('C9200L-NW-E-24', '', 'evaluationPeriod'),
        ],
      }),
    });
    expect(showLicenseSummary(view)).toBe(`Smart Licensing is ENABLED

Registration:
  Status: UNREGISTERED
  Export-Controlled Functionality: Not Allowed

License Authorization: 
  Status: EVAL MODE
  Evaluation Period Remaining: 71 days, 22 hours, 1 minutes, 59 seconds

License Usage:
  License                 Entitlement tag               Count Status
  -----------------------------------------------------------------------------
                          (C9200L-NW-E-48)                  1 EVAL MODE
                          (C9200L-NW-E-24)                  1 EVAL MODE
`);
  });

  it('prints REGISTERED / AUTHORIZED with cut license names and bare statuses', () => {
    const view = makeView({
      release,
      smart: smart({
        registration: registered({
          smartAccount: 'BU Production Test',
          virtualAccount: 'DNAC-Licensing',
          nextRenewalAttempt: at('2019-03-11T16:41:39'),
        }),
        authorization: {
          ...authorized,
          since: at('2018-09-12T16:41:43'),
          nextCommunicationAttempt: at('2018-10-12T16:41:43'),
        },
        entitlements: [
          entitlement('C9200L-NW-E-48', 'C9200L Network Essentials', 'authorized'),
          entitlement('C9200L-NW-E-24', 'C9200L Network Essentials', 'authorized'),
        ],
      }),
    });
    expect(showLicenseSummary(view)).toBe(`Smart Licensing is ENABLED

Registration:
  Status: REGISTERED
  Smart Account: BU Production Test
  Virtual Account: DNAC-Licensing
  Export-Controlled Functionality: Allowed
  Last Renewal Attempt: None
  Next Renewal Attempt: Mar 11 16:41:39 2019 UTC

License Authorization: 
  Status: AUTHORIZED
  Last Communication Attempt: SUCCEEDED
  Next Communication Attempt: Oct 12 16:41:43 2018 UTC

License Usage:
  License                 Entitlement tag               Count Status
  -----------------------------------------------------------------------------
  C9200L Network Essen... (C9200L-NW-E-48)                  1 AUTHORIZED
  C9200L Network Essen... (C9200L-NW-E-24)                  1 AUTHORIZED
`);
  });

  it('later classic releases date the statuses and upper-case the export value', () => {
    const view = makeView({ smart: smart({ registration: registered(), authorization: authorized }) });
    const out = showLicenseSummary(view);
    expect(out).toContain('  Export-Controlled Functionality: ALLOWED\n');
    expect(out).toContain('  Status: AUTHORIZED on Mar 13 08:09:28 2024 UTC\n');
    expect(out).toContain('  Last Communication Attempt: SUCCEEDED on Mar 13 08:09:28 2024 UTC\n');
    expect(out).toContain('License Usage:\n  No licenses in use\n');
  });
});

describe('show license all', () => {
  it('prints GENIE ShowLicenseAll golden_output_3 (CSR1000V, nothing in use)', () => {
    const capture = `Smart Licensing Status
======================
 
Smart Licensing is ENABLED
 
Registration:
  Status: REGISTERED
  Smart Account: Cisco Systems, TAC
Virtual Account: RADKit-LMM-NA
  Export-Controlled Functionality: ALLOWED
  Initial Registration: SUCCEEDED on Mar 13 08:09:24 2024 UTC
  Last Renewal Attempt: None
  Next Renewal Attempt: Sep 09 08:09:24 2024 UTC
  Registration Expires: Mar 13 08:04:57 2025 UTC
 
License Authorization: 
  Status: AUTHORIZED on Mar 13 08:09:28 2024 UTC
  Last Communication Attempt: SUCCEEDED on Mar 13 08:09:28 2024 UTC
  Next Communication Attempt: Apr 12 08:09:28 2024 UTC
  Communication Deadline: Jun 11 08:05:02 2024 UTC
 
Export Authorization Key:
  Features Authorized:
    <none>
 
Utility:
  Status: DISABLED
 
Data Privacy:
  Sending Hostname: yes
    Callhome hostname privacy: DISABLED
    Smart Licensing hostname privacy: DISABLED
  Version privacy: DISABLED
 
Transport:
  Type: Callhome
 
License Usage
==============
 
No licenses in use
 
Product Information
===================
UDI: PID:CSR1000V,SN:9NZ7O74FICQ
 
Agent Version
=============
Smart Agent for Licensing: 4.8.5.4_rel/22
 
Reservation Info
================ 
License reservation: DISABLED
`;
    const view = makeView({
      smart: smart({
        registration: registered({
          nextRenewalAttempt: at('2024-09-09T08:09:24'),
          registrationExpires: at('2025-03-13T08:04:57'),
        }),
        authorization: authorized,
        udi: { pid: 'CSR1000V', sn: '9NZ7O74FICQ' },
      }),
    });
    expect(showLicenseAll(view)).toBe(blankSpaces(capture).replace('\nVirtual Account:', '\n  Virtual Account:'));
  });
});
