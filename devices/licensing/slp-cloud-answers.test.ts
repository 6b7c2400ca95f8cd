/**
 * What the SLP agent does with the cloud's answers, against the scripted cloud (formerly slp-cloud.test.ts,
 * which built a whole lab inside devices/): a customer policy riding on a polled ACK, a refused trust
 * request, and the conversion of a classic registration. The same flows against the real cloud mock are
 * the library scenarios (scenarios/slp/direct-trust-and-outage, upgrade-16-to-17-becomes-slp) and
 * test/slp-lab-cslu.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { DAY, DEFAULT_POLICY, MINUTE, encodeSmartLicense } from '#protocol';
import { slpLab, lines, ScriptedSlpCloud, signed, reportIds, START } from './slp.test-support.ts';
import { convertedFromSmart } from './slp-conversion.ts';
import { newSlpRecord } from './slp-record.ts';
import { newSmartRecord } from './smart-context.ts';

const days = (f: number, r: number) => ({ first_report: f, reporting_frequency: r, report_on_change: 30 });
const customer = {
  ...DEFAULT_POLICY,
  name: 'SLE Policy',
  origin: 'Customer Policy' as const,
  unenforced_perpetual: days(30, 60),
  unenforced_subscription: days(30, 30),
  enforced: days(30, 30),
  export: days(30, 30),
};

describe('SLP answers from the cloud', () => {
  it('a customer policy riding on a polled ACK is installed, and the deadline follows it', async () => {
    const cloud = new ScriptedSlpCloud();
    cloud.pollAnswer = (uploaded, caller) => {
      const ack = signed('RUM_ACK', {
        sudi: caller.sudi,
        report_ids: reportIds(uploaded),
        acknowledged_at: START,
        smart_account: 'example.com',
        virtual_account: 'east',
        policy: customer,
      });
      const result = { sudi: caller.sudi, smart_license: encodeSmartLicense(ack), status: 'SUCCESS' as const };
      return {
        ok: true,
        body: {
          status: 'COMPLETE',
          type: 'acknowledgements',
          data: { acknowledgements: [{ ...result, status_message: null }] },
        },
      };
    };
    const { device, clock } = slpLab({ cloud });
    const d = device();
    await clock.advance(10 * MINUTE);
    expect(lines(d, 'POLICY_INSTALL_SUCCESS').at(-1)).toMatch(/A new licensing policy was successfully installed\.$/);
    const v = d.slp()!;
    expect(v.policy.policy).toMatchObject({ name: 'SLE Policy', origin: 'Customer Policy' });
    expect(v.account?.virtualAccount).toBe('east');
    expect(v.usageReporting.nextAckDeadline).toBe(v.usageReporting.lastAckAt! + 30 * DAY);
    expect(d.exec('show license status')).toContain(
      '  Policy name: SLE Policy\n  Reporting ACK required: yes (Customer Policy)\n',
    );
  });

  it('a trust request the cloud refuses fails the install with its reason; still untrusted', async () => {
    const cloud = new ScriptedSlpCloud();
    const reason = 'The ID token is not valid.';
    cloud.trustAnswer = () => ({
      ok: false,
      kind: 'refused',
      code: 'TOKEN_INVALID',
      status: 400,
      message: reason,
      reason,
    });
    const { device, clock } = slpLab({ cloud });
    const d = device();
    d.setSlpConfig({ transport: 'smart' });
    expect(d.exec('license smart trust idtoken NOPE local')).toBe('');
    await clock.advance(MINUTE);
    expect(lines(d, 'TRUST_CODE_INSTALL_FAILED').at(-1)).toMatch(
      /has failed on PID:C9300-24P,SN:\w+: The ID token is not valid\.$/,
    );
    expect(d.slp()!.states).toMatchObject({ trust: 'none', push: 'untrusted' });
  });
});

describe('conversion of a classic registration (slp-conversion.ts)', () => {
  const identity = {
    certificatePem: 'PEM',
    certificateSerial: '01',
    notBefore: START - DAY,
    notAfter: START + 364 * DAY,
    smartAccount: 'Lab Corp',
    virtualAccount: 'east',
    exportControlled: true,
    registeredAt: START - DAY,
    nextIdRenewalAt: START + 180 * DAY,
  };

  it('the registration becomes a trust code valid as the ID certificate was; the account is kept; once', () => {
    const smart = { ...newSmartRecord('KEY'), identity };
    const converted = convertedFromSmart(newSlpRecord(), smart, START);
    expect(converted.trust).toEqual({
      installedAt: START,
      validFrom: identity.notBefore,
      validUntil: identity.notAfter,
      exportControlled: true,
    });
    expect(converted.account).toEqual({ smartAccount: 'Lab Corp', virtualAccount: 'east', asOf: START });
    const reset = { ...newSlpRecord(), convertedAt: START };
    expect(convertedFromSmart(reset, smart, START + DAY)).toBe(reset);
    expect(convertedFromSmart(newSlpRecord(), newSmartRecord('KEY'), START).trust).toBeUndefined();
  });

  it('a 16.x device takes a 17.x image, not an older one', () => {
    const d = slpLab().device({ release: '16.12.4' });
    expect(d.installImage('03.16.10.S').ok).toBe(false);
    expect(d.installImage('17.9.4')).toEqual({ ok: true, output: '' });
  });
});
