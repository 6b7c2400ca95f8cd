/** One device's remote logging: level filter, layouts per host, origin-id, pacing, counts. */
import { describe, expect, it } from 'vitest';
import type { DeviceEvent, Severity } from '../events/device-event.ts';
import { DEFAULT_LOGGING, type LoggingConfig } from './logging-config.ts';
import { SEND_RATE as SYSLOG_RATE } from '../events/token-bucket.ts';
import { SyslogOutput, type SyslogWire } from './syslog-output.ts';
import type { SyslogHost } from './syslog-sender.ts';

const event = (seq: number, labTime: number, severity: Severity = 6): DeviceEvent => ({
  device: 'sw-01',
  udi: 'PID:C9300-24P,SN:FOC2301X0AB',
  seq,
  labTime,
  deviceTime: labTime,
  syslog: { facility: 'SMART_LIC', severity, mnemonic: 'AGENT_READY', text: 'ready' },
  line: `*Jan  1 00:00:00.000: %SMART_LIC-${severity}-AGENT_READY: ready`,
});

function output(config: Partial<LoggingConfig>, labHosts: SyslogHost[] = []) {
  const sent: { host: SyslogHost; message: string }[] = [];
  const wire: SyslogWire = { send: (host, message) => sent.push({ host, message }) > 0, labHosts };
  const out = new SyslogOutput(wire, {
    config: () => ({ ...DEFAULT_LOGGING, ...config }),
    address: '10.9.8.7',
    release: () => '17.9.4',
  });
  return { out, sent };
}

const udp = { address: '10.0.0.1', transport: 'udp', port: 514 } as const;

describe('SyslogOutput', () => {
  it('sends what the trap level lets through, counting the lines that passed', () => {
    const { out, sent } = output({ hosts: [udp], trap: 5 });
    out.send(event(1, 0, 3));
    out.send(event(2, 0, 6));
    out.send(event(3, 0, 5));
    expect(sent.map((s) => s.message)).toEqual([
      '<187>1: *Jan  1 00:00:00.000: %SMART_LIC-3-AGENT_READY: ready',
      '<189>2: *Jan  1 00:00:00.000: %SMART_LIC-5-AGENT_READY: ready',
    ]);
    expect(out.view()).toMatchObject({ trapLogged: 2, rateLimited: 0, hosts: [{ logged: 2, rateLimited: 0 }] });
  });

  it('writes the origin-id, the facility, and RFC 5424 for a host that asks for it', () => {
    const rfc = { address: '10.0.0.2', transport: 'tcp', port: 601, format: 'rfc5424' } as const;
    const { out, sent } = output({ hosts: [udp, rfc], facility: 'local3', originId: { type: 'ip' } });
    out.send(event(7, 0));
    expect(sent[0]!.message).toBe('<158>1: 10.9.8.7: *Jan  1 00:00:00.000: %SMART_LIC-6-AGENT_READY: ready');
    expect(sent[1]!.message).toMatch(/^<158>1 \S+ sw-01 SMART_LIC - SMART_LIC-6-AGENT_READY \[meta sequenceId="1"\]/);
    expect(sent[1]!.message).toContain('[origin ip="10.9.8.7" software="IOS-XE" swVersion="17.9.4"]');
  });

  it('gives the lab hosts every message in the IOS layout with origin-id hostname, without a logging host', () => {
    const lab = { address: '127.0.0.1', transport: 'udp', port: 5514 } as const;
    const { out, sent } = output({}, [lab]);
    out.send(event(4, 0));
    out.send(event(5, 0, 7));
    expect(sent).toEqual([
      { host: lab, message: '<190>1: sw-01: *Jan  1 00:00:00.000: %SMART_LIC-6-AGENT_READY: ready' },
    ]);
  });

  it(`paces a storm at a burst of ${SYSLOG_RATE.burst} then ${SYSLOG_RATE.perSecond} a second, counting the rest`, () => {
    const { out, sent } = output({ hosts: [udp] });
    for (let n = 1; n <= 100; n++) out.send(event(n, 1_000));
    expect(sent).toHaveLength(SYSLOG_RATE.burst);
    // Half a second later: 10 more tokens.
    for (let n = 101; n <= 120; n++) out.send(event(n, 1_500));
    expect(sent).toHaveLength(SYSLOG_RATE.burst + 10);
    expect(out.view()).toMatchObject({ trapLogged: 120, rateLimited: 70, hosts: [{ logged: 50, rateLimited: 70 }] });
    // A quiet minute refills the bucket to its burst, not beyond.
    for (let n = 121; n <= 200; n++) out.send(event(n, 61_500));
    expect(sent).toHaveLength(SYSLOG_RATE.burst * 2 + 10);
  });

  it('counts without a wire, so show logging is right on a lab that sends nothing', () => {
    const out = new SyslogOutput(undefined, {
      config: () => DEFAULT_LOGGING,
      address: '10.0.0.1',
      release: () => '17.9.4',
    });
    out.send(event(1, 0));
    expect(out.view()).toMatchObject({ trapLogged: 1, hosts: [] });
  });
});
