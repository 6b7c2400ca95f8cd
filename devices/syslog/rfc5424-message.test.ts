import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../events/device-event.ts';
import { formatRfc5424 } from './rfc5424-message.ts';

const event: DeviceEvent = {
  device: 'R1',
  udi: 'PID:C9300-24P,SN:FOC2301X0AB',
  seq: 7,
  labTime: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  deviceTime: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  syslog: {
    facility: 'SMART_LIC',
    severity: 6,
    mnemonic: 'AUTH_RENEW_SUCCESS',
    text: 'Authorization renewal successful',
  },
  line: '*Jan  2 03:04:05.678: %SMART_LIC-6-AUTH_RENEW_SUCCESS: Authorization renewal successful',
};

describe('formatRfc5424', () => {
  it('carries PRI, the device time, hostname, tag, counter, address and UDI', () => {
    expect(formatRfc5424(event, { facility: 'local7', counter: 42, address: '10.0.0.7', release: '17.9.4' })).toBe(
      '<190>1 2026-01-02T03:04:05.678Z R1 SMART_LIC - SMART_LIC-6-AUTH_RENEW_SUCCESS ' +
        '[meta sequenceId="42"][origin ip="10.0.0.7" software="IOS-XE" swVersion="17.9.4"]' +
        '[udi@9 pid="C9300-24P" sn="FOC2301X0AB"] %SMART_LIC-6-AUTH_RENEW_SUCCESS: Authorization renewal successful',
    );
  });

  it('escapes SD values and keeps header fields printable', () => {
    const odd = { ...event, device: 'core sw', udi: 'PID:A"B],SN:1\\2' };
    const text = formatRfc5424(odd, { facility: 'local0', counter: 1, address: '10.0.0.1', release: '17.3.4' });
    expect(text).toContain(' core_sw SMART_LIC ');
    expect(text).toContain('[udi@9 pid="A\\"B\\]" sn="1\\\\2"]');
    expect(text.startsWith('<134>1 ')).toBe(true);
  });
});
