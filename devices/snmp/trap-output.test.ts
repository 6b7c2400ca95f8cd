/** One device's notifications: enabled types only to its hosts, every one to the lab's, uptime, pacing. */
import { describe, expect, it } from 'vitest';
import type { DeviceEvent, SnmpNotification } from '../events/device-event.ts';
import { SEND_RATE } from '../events/token-bucket.ts';
import { checkSnmpConfig, DEFAULT_SNMP, type SnmpConfig } from './snmp-config.ts';
import { TrapOutput, type TrapTarget, type TrapWire } from './trap-output.ts';

const smart: SnmpNotification = {
  trapOid: '1.3.6.1.4.1.9.9.831.1.6',
  name: 'ciscoSlaSmartAgentNotifyRegisterSuccess',
  varbinds: [],
};
const traditional: SnmpNotification = {
  trapOid: '1.3.6.1.4.1.9.9.543.0.5',
  name: 'clmgmtLicenseInstalled',
  varbinds: [],
};
const event = (labTime: number, trap?: SnmpNotification): DeviceEvent => ({
  device: 'sw-01',
  udi: 'PID:C9300-24P,SN:FOC2301X0AB',
  seq: 1,
  labTime,
  deviceTime: labTime,
  syslog: { facility: 'SMART_LIC', severity: 6, mnemonic: 'AGENT_REG_SUCCESS', text: '' },
  line: '',
  ...(trap ? { trap } : {}),
});

function output(config: SnmpConfig, labHosts: TrapTarget[] = []) {
  const sent: { target: TrapTarget; ticks: number; name: string; address: string }[] = [];
  const wire: TrapWire = {
    send: (target, ticks, n, address) => void sent.push({ target, ticks, name: n.name, address }),
    labHosts,
  };
  const out = new TrapOutput(wire, { config: () => config, address: '10.0.0.42', uptimeMs: () => 123_456 });
  return { out, sent };
}

const config = checkSnmpConfig({
  enable: ['smart-license'],
  users: [{ name: 'mon', authKey: 'authpass1', privKey: 'privpass1' }],
  hosts: [{ address: '10.0.0.5' }, { address: '10.0.0.6', version: '3', user: 'mon', informs: true }],
});

describe('TrapOutput', () => {
  it('sends enabled notifications to every host with the uptime in ticks and the v3 user', () => {
    const { out, sent } = output(config);
    out.send(event(0, smart));
    out.send(event(0, traditional));
    out.send(event(0));
    expect(sent.map((s) => [s.target.host.address, s.target.user?.name, s.ticks, s.name, s.address])).toEqual([
      ['10.0.0.5', undefined, 12_345, 'ciscoSlaSmartAgentNotifyRegisterSuccess', '10.0.0.42'],
      ['10.0.0.6', 'mon', 12_345, 'ciscoSlaSmartAgentNotifyRegisterSuccess', '10.0.0.42'],
    ]);
    expect(sent[1]!.target.host).toMatchObject({ kind: 'informs', version: '3', level: 'priv' });
  });

  it('gives the lab hosts every notification, even with no type enabled', () => {
    const lab = {
      host: { address: '127.0.0.1', port: 1162, kind: 'traps', version: '2c', securityName: 'public' },
    } as const;
    const { out, sent } = output(DEFAULT_SNMP, [lab]);
    out.send(event(0, traditional));
    expect(sent.map((s) => s.target)).toEqual([lab]);
  });

  it(`paces a storm at a burst of ${SEND_RATE.burst}, counting the rest`, () => {
    const { out, sent } = output(config);
    for (let i = 0; i < 100; i++) out.send(event(5_000, smart));
    expect(sent).toHaveLength(SEND_RATE.burst * 2);
    expect(out.view()).toEqual({ sent: SEND_RATE.burst * 2, rateLimited: 60 });
  });
});

describe('checkSnmpConfig', () => {
  it.each([
    [{ hosts: [{ address: '10.0.0.1', version: '1' }] }, 'snmp host 10.0.0.1: version must be 2c or 3, got "1"'],
    [{ hosts: [{ address: '10.0.0.1', version: '3', user: 'x' }] }, 'version 3 needs a user from snmp.users, got "x"'],
    [{ users: [{ name: 'u', privKey: 'privpass1' }] }, 'snmp user u: privacy needs authentication (authKey)'],
    [{ users: [{ name: 'u', authKey: 'short' }] }, 'snmp user u: authKey needs 8 characters at least'],
    [{ enable: ['bgp'] }, 'snmp enable: unknown trap type "bgp"; valid: license, smart-license'],
  ])('refuses %j', (value, message) => {
    expect(() => checkSnmpConfig(value)).toThrow(message);
  });
});
