/**
 * The remaining SLP show commands (smart-licensing.md §4.10, §4.11) on a real 17.x C9300 in virtual time,
 * against the real cloud mock and the lab's CSLU: `show license rum id all`, `show license rum id <id>
 * detail` and `show license tech-support`, byte for byte, and their values moving as the agent reports,
 * is acknowledged, trusts and fails.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '../device.ts';
import { createLab, type LocalLab } from '#lab';
import { HOUR } from '#protocol';
import { START } from '../licensing/slp.test-support.ts';

const SEED = readFileSync(new URL('../../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
const CSLU = { account: 'example.com', clientId: 'lab-example-admin', clientSecret: 'lab-example-admin-secret' };
const TOKEN = 'LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D';
/** Report ids are device epoch seconds (§4.11): the first two open at boot, the next two at the push (+39 s). */
const T0 = START / 1000;
const NA = 'regid.2017-05.com.cisco.advantagek9-Nyquist-C9300,1.0_6c1c7e4f-3a1e-4b2a-8c5e-1f0a2b3c4d01';

const labs: LocalLab[] = [];
afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.close();
});

async function c9300(...config: string[]): Promise<{ lab: LocalLab; d: VirtualDevice }> {
  const lab = await createLab({
    clock: { mode: 'stepped', start: START },
    cloud: { seed: SEED, seedSource: 'cloud-seed.example.yaml' },
    cslu: CSLU,
  });
  labs.push(lab);
  const d = lab.device({ pid: 'C9300-24P', release: '17.9.4' });
  if (config.length > 0)
    for (const line of ['configure terminal', ...config, 'end']) expect(d.exec(line), line).not.toMatch(/^%/m);
  return { lab, d };
}

/** The lines of `text` from the one starting with `from` up to (not including) the one starting with `to`. */
function block(text: string, from: string, to: string): string {
  const start = text.indexOf(`\n${from}`) + 1;
  return text.slice(start, text.indexOf(`\n${to}`, start) + 1);
}

const RUM_HEAD = `Smart Licensing Usage Report:
====================================
Report Id,          State,    Flag, Feature Name
`;

describe('show license rum id (§4.11)', () => {
  it('all: OPEN rows at boot; after the CSLU ACK those read ACK and the next reports are OPEN', async () => {
    const { lab, d } = await c9300();
    expect(d.exec('show license rum id all')).toBe(`${RUM_HEAD}${T0}          OPEN      N     network-advantage
${T0 + 1}          OPEN      N     dna-advantage
`);
    await lab.clock.advance(HOUR);
    expect(d.exec('show license rum id all')).toBe(`${RUM_HEAD}${T0}          ACK       N     network-advantage
${T0 + 1}          ACK       N     dna-advantage
${T0 + 39}          OPEN      N     network-advantage
${T0 + 40}          OPEN      N     dna-advantage
`);
  });

  it('<id> detail: the captured block for an ACKed report, the open report after it, a % error for an unknown id', async () => {
    const { lab, d } = await c9300();
    const udi = `PID:${d.udi.pid},SN:${d.udi.sn}`;
    expect(d.exec(`show license rum id ${T0} detail`)).toBe(`Smart Licensing Usage Report Detail:
====================================
Report Id: ${T0}
  Metric Name: ENTITLEMENT
  Feature Name: network-advantage
  Metric Value: ${NA}
  UDI: ${udi}
  Previous Report Id: 0,    Next Report Id: 0
  State: OPEN,     State Change Reason: <none>
  Start Time: Mar 13 08:00:00 2026 UTC,      End Time: <none>
  Storage State: STORED
  Transaction ID: 0
  Transaction Message: <none>
`);
    await lab.clock.advance(HOUR);
    expect(d.exec(`show license rum id ${T0} detail`)).toBe(`Smart Licensing Usage Report Detail:
====================================
Report Id: ${T0}
  Metric Name: ENTITLEMENT
  Feature Name: network-advantage
  Metric Value: ${NA}
  UDI: ${udi}
  Previous Report Id: 0,    Next Report Id: ${T0 + 39}
  State: ACK,      State Change Reason: ACKED
  Start Time: Mar 13 08:00:00 2026 UTC,      End Time: Mar 13 08:00:39 2026 UTC
  Storage State: DELETED
  Transaction ID: 0
  Transaction Message: <none>
`);
    expect(d.exec(`show license rum id ${T0 + 39} detail`)).toContain(
      `  Previous Report Id: ${T0},    Next Report Id: 0\n  State: OPEN,     State Change Reason: <none>\n`,
    );
    expect(d.exec('show license rum id 12 detail')).toBe(
      "% Error: Report Id 12 not found. Use 'show license rum id all' for the report ids\n",
    );
    expect(d.exec('show license rum id all detail')).toMatch(/% Invalid input detected/);
  });
});

const QUIET = (name: string) => `${name}:
  Attempts: Total=0, Success=0, Fail=0  Ongoing Failure: Overall=0 Communication=0
  Last Response: <none>
    Failure Reason: <none>
  Last Success Time: <none>
  Last Failure Time: <none>
`;

describe('show license tech-support (§4.10)', () => {
  it('Usage Reporting internals, License Usage handles, summary and statistics move with the CSLU report and ACK', async () => {
    const { lab, d } = await c9300();
    const before = d.exec('show license tech-support');
    expect(
      before.startsWith(
        'Smart Licensing Tech Support info\n\nSmart Licensing Status\n======================\n\nUtility:\n',
      ),
    ).toBe(true);
    expect(before).toContain('  Reporting push interval: 30  days State(2) InPolicy(90)\n');
    expect(block(before, 'Usage Report Summary:', 'Reservation Info')).toBe(`Usage Report Summary:
=====================
Total: 2,  Purged: 0(0)
Total Acknowledged Received: 0,  Waiting for Ack: 0(0)
Available to Report: 0  Collecting Data: 2  
Maximum Display: 2  In Storage: 2,  MIA: 0(0)
Report Module Status: Ready

`);
    expect(block(before, 'Communication Statistics:', 'Usage Report Summary:')).toBe(
      `Communication Statistics:
=======================
Communication Level Allowed: INDIRECT
Overall State: <empty>
${[
  'Trust Establishment',
  'Trust Acknowledgement',
  'Usage Reporting',
  'Result Polling',
  'Authorization Request',
  'Authorization Confirmation',
  'Authorization Return',
  'Trust Sync',
  'Hello Message',
  'Telemetry Reporting',
]
  .map(QUIET)
  .join('')}
`,
    );

    await lab.clock.advance(HOUR);
    const after = d.exec('show license tech-support');
    expect(after).toContain('  Reporting push interval: 30  days State(4) InPolicy(90)\n');
    expect(block(after, 'Handle: 1', 'Handle: 2')).toBe(`Handle: 1
  License: network-advantage
  Entitlement Tag: ${NA}
  Description: C9300 Network Advantage
  Count: 1
  Version: 1.0
  Status: IN USE(15)
  Status time: Mar 13 08:00:00 2026 UTC
  Request Time: Mar 13 08:00:39 2026 UTC
  Export status: NOT RESTRICTED
  Feature Name: network-advantage
  Feature Description: C9300 Network Advantage
  Enforcement type: NOT ENFORCED
  License type: Perpetual
  Measurements:
    ENTITLEMENT:
      Interval: 00:15:00
      Current Value: 1
      Current Report: ${T0 + 39}       Previous: ${T0}
  Soft Enforced: True
`);
    expect(block(after, 'Usage Reporting:\n  Attempts', 'Authorization Request:')).toBe(`Usage Reporting:
  Attempts: Total=1, Success=1, Fail=0  Ongoing Failure: Overall=0 Communication=0
  Last Response: OK_POLL on Mar 13 08:00:39 2026 UTC
    Failure Reason: <none>
  Last Success Time: Mar 13 08:00:39 2026 UTC
  Last Failure Time: <none>
Result Polling:
  Attempts: Total=2, Success=2, Fail=0  Ongoing Failure: Overall=0 Communication=0
  Last Response: OK on Mar 13 08:07:39 2026 UTC
    Failure Reason: <none>
  Last Success Time: Mar 13 08:07:39 2026 UTC
  Last Failure Time: <none>
`);
    expect(block(after, 'Usage Report Summary:', 'Reservation Info')).toBe(`Usage Report Summary:
=====================
Total: 4,  Purged: 0(0)
Total Acknowledged Received: 2,  Waiting for Ack: 0(0)
Available to Report: 0  Collecting Data: 2  
Maximum Display: 4  In Storage: 2,  MIA: 0(0)
Report Module Status: Ready

`);
    expect(block(after, 'Reservation Info', 'License Certificates')).toBe(`Reservation Info
================
License reservation: DISABLED
Reservation status: NOT INSTALLED
Request code: <none>
Last return code: <none>
Last Confirmation code: <none>
Reservation authorization code: <none>

`);
    expect(after.slice(after.indexOf('License Certificates'))).toBe(`License Certificates
====================
Production Cert: True
Not registered. No certificates installed

HA Info
=======
RP Role: Active
Chassis Role: Active
Behavior Role: Active
RMF: True
CF: True
CF State: Stateless
Message Flow Allowed: True

Other Info
==========
Agent State: authorized
Transport: cslu
  Default URL: https://smartreceiver.cisco.com/licservice/license
Message Version: 1.3
connect_info.name: SSM
connect_info.version: 1.3
connect_info.capabilities: DLC, AppHA, EXPORT_2, POLICY_USAGE, UTILITY, TELEMETRY, TELEMETRY_POLICY
agent.capabilities: UTILITY, DLC, AppHA, MULTITIER, EXPORT_2, OK_TRY_AGAIN, POLICY_USAGE, TELEMETRY, TELEMETRY_POLICY
SmartAgentTelemetryRumReportMax: 600
SmartAgentMaxRumMemory: 50
attr365DayEvalSyslog: True
Event log max size: 5120 KB
Local Device: P:${d.udi.pid},S:${d.udi.sn}, state[2], Trust Data NOT INSTALLED
Overall Trust: NOT INSTALLED (0)

`);
  });

  it('counts failed sends: NO REPLY, the reason, ongoing failures, while no ACK comes', async () => {
    const { lab, d } = await c9300('license smart url cslu http://cslu-local:8182/nowhere');
    await lab.clock.advance(HOUR);
    const t = d.exec('show license tech-support');
    expect(block(t, 'Usage Reporting:\n  Attempts', 'Result Polling:')).toBe(`Usage Reporting:
  Attempts: Total=4, Success=0, Fail=4  Ongoing Failure: Overall=4 Communication=4
  Last Response: NO REPLY on Mar 13 08:35:39 2026 UTC
    Failure Reason: Received invalid response from server
  Last Success Time: <none>
  Last Failure Time: Mar 13 08:35:39 2026 UTC
`);
    expect(t).toContain(QUIET('Result Polling'));
    expect(t).toContain(
      'Total Acknowledged Received: 0,  Waiting for Ack: 0(8)\nAvailable to Report: 8  Collecting Data: 2  \n',
    );
    expect(d.exec('show license rum id all')).not.toContain('ACK ');
  });

  it('Smart transport: insufficient trust until the trust code, then DIRECT with Trust Establishment counted', async () => {
    const { lab, d } = await c9300('license smart transport smart', 'license smart url default');
    expect(d.exec('show license tech-support')).toContain(
      'Communication Level Allowed: DIRECT\nOverall State: Insufficient trust for direct communication\n',
    );
    d.exec(`license smart trust idtoken ${TOKEN} local`);
    await lab.clock.advance(HOUR);
    const t = d.exec('show license tech-support');
    expect(t).toContain('Communication Level Allowed: DIRECT\nOverall State: <empty>\n');
    expect(t).toContain(`Trust Establishment:
  Attempts: Total=1, Success=1, Fail=0  Ongoing Failure: Overall=0 Communication=0
  Last Response: OK on Mar 13 08:00:00 2026 UTC
`);
    expect(t).toContain('Overall Trust: INSTALLED (2)\n');
    expect(t).toContain('Transport: Smart\n');
  });
});

const history = (usage: string, polling: string, ack: string) => `Message History
===============
Trust Establishment:
  Total: 0,  Success: 0,  Fail: 0
  Last Response: <none>
Usage Reporting:
${usage}Result Polling:
${polling}Authorization Request:
  Total: 0,  Success: 0,  Fail: 0
  Last Response: <none>
Authorization Return:
  Total: 0,  Success: 0,  Fail: 0
  Last Response: <none>
Trust Sync:
  Total: 0,  Success: 0,  Fail: 0
  Last Response: <none>

Import History
==============
POLICY: <none>
AUTH: <none>
TRUST CODE: <none>
RUM ACK: ${ack}
ACCOUNT INFO: ${ack}
`;
const NONE = '  Total: 0,  Success: 0,  Fail: 0\n  Last Response: <none>\n';

describe('show license history message (§4.11 fields, lab layout)', () => {
  it('counts each message type and dates the imports the ACK brought', async () => {
    const { lab, d } = await c9300();
    expect(d.exec('show license history message')).toBe(history(NONE, NONE, '<none>'));
    await lab.clock.advance(HOUR);
    expect(d.exec('show license history message')).toBe(
      history(
        '  Total: 1,  Success: 1,  Fail: 0\n  Last Response: OK_POLL on Mar 13 08:00:39 2026 UTC\n',
        '  Total: 2,  Success: 2,  Fail: 0\n  Last Response: OK on Mar 13 08:07:39 2026 UTC\n',
        'Mar 13 08:07:39 2026 UTC',
      ),
    );
  });
});
