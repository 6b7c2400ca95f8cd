/** The SLP agent against the real cloud mock in process (its direct SLP routes), in virtual time. */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLab, type LocalLab } from '#lab';
import { MINUTE } from '#protocol';
import { EAST_TOKEN, LAB_DOMAIN, openDeviceLab } from '#test-support/device-lab.ts';
import type { VirtualDevice } from '../device.ts';

let lab: LocalLab;
beforeEach(async () => {
  lab = await openDeviceLab();
});
afterEach(async () => {
  await lab.close();
});

const mnemonics = (d: VirtualDevice): string[] => d.events().map((e) => e.syslog.mnemonic);
const line = (d: VirtualDevice, m: string) =>
  d
    .events()
    .filter((e) => e.syslog.mnemonic === m)
    .at(-1)?.line;
const smart = (d: VirtualDevice) => {
  d.exec('configure terminal');
  d.exec('license smart transport smart');
  d.exec('end');
};

describe('SLP against the cloud mock', () => {
  it('trusts with an idtoken, reports, polls and installs the ACK from the cloud', async () => {
    const d = lab.device({ release: '17.9.4' });
    smart(d);
    expect(d.exec(`license smart trust idtoken ${EAST_TOKEN} local`)).toBe('');
    await lab.clock.advance(MINUTE);
    expect(mnemonics(d)).toContain('TRUST_CODE_INSTALL_SUCCESS');
    expect(d.slp()!.states.trust).toBe('installed');
    await lab.clock.advance(MINUTE);
    expect(d.slp()!.states.push).toBe('scheduled.polling');
    await lab.clock.advance(6 * MINUTE);
    expect(mnemonics(d), JSON.stringify(d.events().map((e) => e.line))).toContain('RUM_ACK_RECEIVED');
    const v = d.slp()!;
    expect(v.acked).toBe(2);
    expect(v.account?.virtualAccount).toBe('east');
    expect(d.exec('show license status')).toMatch(/Trust Code Installed: \w{3} \d\d [\d:]{8} 2026 UTC\n$/);
    expect(mnemonics(d)).not.toContain('COMM_FAILED');
  });

  it('a customer policy set on the VA rides on the next ACK: installed, and the deadline follows it', async () => {
    const d = lab.device({ release: '17.9.4' });
    smart(d);
    d.exec(`license smart trust idtoken ${EAST_TOKEN} local`);
    await lab.clock.advance(10 * MINUTE);
    expect(mnemonics(d)).toContain('RUM_ACK_RECEIVED');
    const days = (f: number, r: number) => ({ first_report: f, reporting_frequency: r, report_on_change: 30 });
    await lab.cloud.slp.setPolicy(
      { account: LAB_DOMAIN, virtualAccount: 'east' },
      {
        name: 'SLE Policy',
        ack_required: true,
        unenforced_perpetual: days(30, 60),
        unenforced_subscription: days(30, 30),
        enforced: days(30, 30),
        export: days(30, 30),
      },
    );
    d.exec('license smart sync all');
    await lab.clock.advance(10 * MINUTE);
    expect(line(d, 'POLICY_INSTALL_SUCCESS')).toMatch(/A new licensing policy was successfully installed\.$/);
    const v = d.slp()!;
    expect(v.policy.policy).toMatchObject({ name: 'SLE Policy', origin: 'Customer Policy' });
    expect(v.usageReporting.nextAckDeadline).toBe(v.usageReporting.lastAckAt! + 30 * 86_400_000);
    expect(d.exec('show license status')).toContain(
      '  Policy name: SLE Policy\n  Reporting ACK required: yes (Customer Policy)\n',
    );
  });

  it('a token the cloud does not know fails the trust install with its reason', async () => {
    const d = lab.device({ release: '17.9.4' });
    smart(d);
    d.exec('license smart trust idtoken NOPE local');
    await lab.clock.advance(MINUTE);
    expect(line(d, 'TRUST_CODE_INSTALL_FAILED')).toMatch(
      /has failed on PID:C9300-24P,SN:\w+: The ID token is not valid\.$/,
    );
    expect(d.slp()!.states).toMatchObject({ trust: 'none', push: 'untrusted' });
  });

  it('the factory CSLU transport looks for cslu-local, which does not resolve (§5.3 reason)', async () => {
    const d = lab.device({ release: '17.9.4' });
    await lab.clock.advance(39_000);
    expect(line(d, 'COMM_FAILED')).toBe(
      '*Mar 13 08:10:03.000: %SMART_LIC-3-COMM_FAILED: Communications failure with the Cisco Smart License Utility (CSLU) : Unable to resolve server hostname/domain name',
    );
    await lab.clock.advance(5 * MINUTE);
    expect(d.events().filter((e) => e.syslog.mnemonic === 'COMM_FAILED')).toHaveLength(2);
  });

  it('a device in CSLU mode with nothing listening shows its failures', async () => {
    const d = lab.device({ release: '17.9.4' });
    d.exec('configure terminal');
    d.exec('license smart url cslu http://127.0.0.1:9/cslu/v1/pi');
    d.exec('end');
    await lab.clock.advance(39_000);
    // A real socket to a closed port: its refusal arrives in host time, not lab time.
    for (let i = 0; i < 100 && d.slp()!.states.communication === 'ok'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(line(d, 'COMM_FAILED')).toMatch(
      /Communications failure with the Cisco Smart License Utility \(CSLU\) : Communications failure$/,
    );
    expect(d.slp()!.states).toMatchObject({ communication: 'failing', push: 'scheduled.retrying' });
  });

  it('a registered 16.x device given a 17.x image converts: registration becomes trust, account kept', async () => {
    const d = lab.device({ release: '16.12.4' });
    d.exec(`license smart register idtoken ${EAST_TOKEN}`);
    await lab.clock.advance(MINUTE);
    expect(d.smart().registration.status).toBe('registered');
    const certificate = (d.agentState()!.context as { record: { identity: { notAfter: number } } }).record.identity;
    expect(d.installImage('17.9.4')).toEqual({ ok: true, output: '' });
    expect(d.installImage('03.16.10.S').ok).toBe(false);
    d.exec('reload');
    await lab.clock.advance(4 * MINUTE);
    expect(d.view().licensingMode).toBe('slp');
    const v = d.slp()!;
    expect(v.trust).toMatchObject({ validUntil: certificate.notAfter });
    expect(v.account).toMatchObject({ smartAccount: 'Lab Corp', virtualAccount: 'east' });
    expect(v.states.trust).toBe('installed');
    expect(d.exec('show version')).toContain('Smart Licensing Status: Smart Licensing Using Policy');
    // Direct reporting needs no new trust code on the device; the cloud mock does not yet count a
    // registration as trust (it answers TRUST_MISSING), which is its side of the conversion.
    smart(d);
    expect(d.slp()!.states.push).toBe('scheduled.waiting');
  });

  it("a factory-fresh device reports through the lab's CSLU at cslu-local and installs the ACK it relays", async () => {
    const seed = readFileSync(new URL('../../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
    const withCslu = await createLab({
      clock: { mode: 'stepped', start: Date.parse('2026-03-13T08:00:00Z') },
      cloud: { seed },
      cslu: { account: 'example.com', clientId: 'lab-example-admin', clientSecret: 'lab-example-admin-secret' },
    });
    try {
      const d = withCslu.device({ release: '17.9.4' });
      await withCslu.clock.advance(15 * MINUTE);
      expect(mnemonics(d)).not.toContain('COMM_FAILED');
      expect(mnemonics(d)).toContain('RUM_ACK_RECEIVED');
      expect(d.slp()).toMatchObject({ acked: 2, states: { communication: 'ok', push: 'scheduled.waiting' } });
    } finally {
      await withCslu.close();
    }
  });
});
