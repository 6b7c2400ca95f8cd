import { describe, expect, it } from 'vitest';
import { licenseMessages } from '../syslog/license-messages.ts';
import type { Timezone } from '../time/ios-time.ts';
import type { DeviceEvent } from './device-event.ts';
import { DEFAULT_BUFFER_SIZE, DeviceLog, type DeviceLogOptions } from './device-log.ts';

const UDI = 'PID:C9300-24P,SN:FOC2135X0AB';
const BOOT = Date.UTC(1993, 2, 1);

function device(patch: Partial<DeviceLogOptions> = {}) {
  const state = {
    host: 'Switch',
    lab: Date.UTC(2024, 2, 13),
    offset: BOOT - Date.UTC(2024, 2, 13),
    tz: { name: 'UTC', offsetMinutes: 0 } as Timezone,
    authoritative: false,
  };
  const log = new DeviceLog({
    hostname: () => state.host,
    udi: UDI,
    labNow: () => state.lab,
    deviceNow: () => state.lab + state.offset,
    timezone: () => state.tz,
    authoritative: () => state.authoritative,
    ...patch,
  });
  return { log, state };
}

describe('DeviceLog.smartLic', () => {
  it('builds the event: console line with the next sequence number, syslog fields, trap, times', () => {
    const { log, state } = device();
    state.lab += 42_133;
    const ready = log.smartLic('AGENT_READY', {});
    expect(ready).toEqual({
      device: 'Switch',
      udi: UDI,
      seq: 1,
      labTime: Date.UTC(2024, 2, 13) + 42_133,
      deviceTime: BOOT + 42_133,
      syslog: {
        facility: 'SMART_LIC',
        severity: 6,
        mnemonic: 'AGENT_READY',
        text: 'Smart Agent for Licensing is initialized',
      },
      line: '*Mar  1 00:00:42.133: %SMART_LIC-6-AGENT_READY: Smart Agent for Licensing is initialized',
      trap: {
        trapOid: '1.3.6.1.4.1.9.9.831.1.2',
        name: 'ciscoSlaSmartAgentNotifyReady',
        varbinds: [{ oid: '1.3.6.1.4.1.9.9.831.0.2.0', name: 'ciscoSlaSUDIInfo', type: 'OctetString', value: UDI }],
      },
    });
    state.host = 'edge-sw1';
    const reg = log.smartLic('AGENT_REG_SUCCESS', {});
    expect(reg.seq).toBe(2);
    expect(reg.device).toBe('edge-sw1');
    expect(reg.syslog.text).toBe(
      `Smart Agent for Licensing Registration with the Cisco Smart Software Manager or satellitefor udi ${UDI}`,
    );
    expect(reg.trap?.name).toBe('ciscoSlaSmartAgentNotifyRegisterSuccess');
  });

  it('sends no trap for messages without a notification', () => {
    const { log } = device();
    expect(log.smartLic('HA_ROLE_CHANGED', { role: 'Active' })).not.toHaveProperty('trap');
  });

  it('passes trap context through and fills what the message implies', () => {
    const { log } = device();
    const entitlement = {
      index: 1,
      requestCount: 1,
      tag: 'regid.bogus',
      version: '1.0',
      enforceMode: 'invalidTag',
      featureName: 'x',
      exportAllowed: true,
    } as const;
    const invalid = log.smartLic('INVALID_TAG', { tag: 'regid.bogus' }, { entitlement });
    expect(invalid.trap?.varbinds.map((v) => v.oid)).toEqual([
      '1.3.6.1.4.1.9.9.831.0.5.1.1.2.1',
      '1.3.6.1.4.1.9.9.831.0.5.1.1.3.1',
      '1.3.6.1.4.1.9.9.831.0.5.1.1.4.1',
      '1.3.6.1.4.1.9.9.831.0.5.1.1.5.1',
      '1.3.6.1.4.1.9.9.831.0.2.0',
    ]);
    expect(log.smartLic('OUT_OF_COMPLIANCE', {}).trap?.varbinds[1]?.value).toBe(4);
    expect(log.smartLic('AGENT_DEREG_FAILED', { reason: 'timeout' }).trap?.varbinds.map((v) => v.value)).toEqual([
      UDI,
      3,
      'timeout',
    ]);
  });

  it('shares one frozen descriptor per SUDI-only notification per device', () => {
    const a = device().log;
    const b = device({ udi: 'PID:C9300-24P,SN:FOC0000000B' }).log;
    const [t1, t2] = [
      a.smartLic('COMM_FAILED', { destination: 'CSSM', reason: 'x' }).trap,
      a.smartLic('COMM_FAILED', { destination: 'CSSM', reason: 'y' }).trap,
    ];
    expect(t1).toBe(t2);
    expect(Object.isFrozen(t1!.varbinds[0])).toBe(true);
    expect(b.smartLic('COMM_FAILED', { destination: 'CSSM', reason: 'x' }).trap?.varbinds[0]?.value).toBe(
      'PID:C9300-24P,SN:FOC0000000B',
    );
  });

  it('a trap context it cannot use costs no sequence number', () => {
    const { log } = device();
    expect(() => log.smartLic('INVALID_TAG', { tag: 't' })).toThrow(
      'ciscoSlaSmartAgentNotifyEntitlementEnforceMode needs context.entitlement',
    );
    expect(log.seq).toBe(0);
    expect(log.events()).toEqual([]);
  });

  it('refuses an unknown mnemonic, listing the valid ones', () => {
    const { log } = device();
    expect(() => log.smartLic('AGENT_GONE' as 'AGENT_READY', {})).toThrow(
      /unknown %SMART_LIC mnemonic 'AGENT_GONE'; valid: AGENT_READY, AGENT_ENABLED, /,
    );
  });
});

describe('DeviceLog.log', () => {
  const params = {
    feature: 'securityk9',
    version: '1.0',
    udi: 'CISCO2951:FHH1216P07R',
    storeIndex: 2,
    storeName: 'Primary License Storage',
  };
  const trap = {
    entPhysicalIndex: 1,
    license: { storeUsed: 1, index: 2, featureName: 'securityk9', featureVersion: '1.0', type: 'permanent' as const },
  };

  it('logs any catalogue message, with its trap when given the context', () => {
    const { log } = device({ udi: 'PID:CISCO2951/K9,SN:FHH1216P07R' });
    const e = log.log(licenseMessages.INSTALL, params, trap);
    expect(e.line).toBe(
      '*Mar  1 00:00:00.000: %LICENSE-6-INSTALL: Feature securityk9 1.0 was installed in this device. UDI=CISCO2951:FHH1216P07R; StoreIndex=2:Primary License Storage',
    );
    expect(e.trap?.trapOid).toBe('1.3.6.1.4.1.9.9.543.0.5');
    expect(log.log(licenseMessages.INSTALL, params)).not.toHaveProperty('trap');
    expect(log.log(licenseMessages.EULA_ACCEPT_ALL, {}).seq).toBe(3);
  });
});

describe('DeviceLog settings', () => {
  it('prints sequence numbers, local time, zone and year as configured, and follows the clock status', () => {
    const { log, state } = device({ settings: { sequenceNumbers: true, localtime: true, showTimezone: true } });
    state.tz = { name: 'EST', offsetMinutes: -300 };
    expect(log.smartLic('EVAL_START', {}).line).toBe(
      '000001: *Feb 28 19:00:00.000 EST: %SMART_LIC-5-EVAL_START: Entering evaluation period',
    );
    state.authoritative = true;
    log.configure({ year: true, msec: false });
    expect(log.settings).toMatchObject({ sequenceNumbers: true, year: true, msec: false });
    expect(log.smartLic('EVAL_START', {}).line).toBe(
      '000002: Feb 28 1993 19:00:00 EST: %SMART_LIC-5-EVAL_START: Entering evaluation period',
    );
  });

  it('uses the factory settings by default, shared by all devices', () => {
    expect(device().log.settings).toBe(device().log.settings);
    expect(device().log.settings).toMatchObject({ sequenceNumbers: false, timestamps: 'datetime', msec: true });
  });

  it('continues sequence numbers from a restored value, and refuses bad ones', () => {
    const { log } = device();
    log.seq = 41;
    expect(log.smartLic('AGENT_READY', {}).seq).toBe(42);
    expect(log.seq).toBe(42);
    expect(() => {
      log.seq = -1;
    }).toThrow('seq must be an integer ≥ 0, got -1');
    expect(() => {
      log.seq = 1.5;
    }).toThrow('seq must be an integer ≥ 0, got 1.5');
  });
});

describe('DeviceLog buffer', () => {
  it('keeps the last bufferSize events, oldest first', () => {
    const { log } = device({ bufferSize: 3 });
    for (let i = 0; i < 7; i++) log.smartLic('AGENT_READY', {});
    expect(log.events().map((e) => e.seq)).toEqual([5, 6, 7]);
    log.smartLic('AGENT_ENABLED', {});
    expect(log.events().map((e) => e.seq)).toEqual([6, 7, 8]);
  });

  it('holds 4096 lines by default', () => {
    const { log } = device();
    for (let i = 0; i < DEFAULT_BUFFER_SIZE + 10; i++) log.smartLic('AGENT_READY', {});
    const events = log.events();
    expect(DEFAULT_BUFFER_SIZE).toBe(4096);
    expect(events).toHaveLength(4096);
    expect(events[0]!.seq).toBe(11);
    expect(events.at(-1)!.seq).toBe(4106);
  });

  it('clear() empties the buffer but sequence numbers go on', () => {
    const { log } = device({ bufferSize: 2 });
    for (let i = 0; i < 3; i++) log.smartLic('AGENT_READY', {});
    log.clear();
    expect(log.events()).toEqual([]);
    expect(log.smartLic('AGENT_READY', {}).seq).toBe(4);
    expect(log.events().map((e) => e.seq)).toEqual([4]);
  });

  it('refuses a bufferSize that is not a positive integer', () => {
    expect(() => device({ bufferSize: 0 })).toThrow('bufferSize must be an integer ≥ 1, got 0');
    expect(() => device({ bufferSize: Number.NaN })).toThrow('bufferSize must be an integer ≥ 1, got NaN');
  });

  it('events() is a copy', () => {
    const { log } = device();
    log.smartLic('AGENT_READY', {});
    (log.events() as DeviceEvent[]).length = 0;
    expect(log.events()).toHaveLength(1);
  });
});

describe('DeviceLog sinks', () => {
  it('calls every sink in order; addSink and removeSink apply to later events', () => {
    const seen: string[] = [];
    const a = (e: DeviceEvent) => seen.push(`a${e.seq}`);
    const b = (e: DeviceEvent) => seen.push(`b${e.seq}`);
    const { log } = device({ sinks: [a] });
    log.smartLic('AGENT_READY', {});
    log.addSink(b);
    log.smartLic('AGENT_READY', {});
    log.removeSink(a);
    log.smartLic('AGENT_READY', {});
    expect(seen).toEqual(['a1', 'a2', 'b2', 'b3']);
  });

  it('a sink removing itself during dispatch does not skip the others', () => {
    const seen: string[] = [];
    const { log } = device();
    const once = () => {
      seen.push('once');
      log.removeSink(once);
    };
    log.addSink(once);
    log.addSink(() => seen.push('after'));
    log.smartLic('AGENT_READY', {});
    log.smartLic('AGENT_READY', {});
    expect(seen).toEqual(['once', 'after', 'after']);
  });

  it('a throwing sink does not stop the others or the caller: counted, reported once, the event kept', () => {
    const seen: number[] = [];
    const reports: string[] = [];
    const broken = function collector(): void {
      throw new Error('sink down');
    };
    const { log } = device({ sinks: [broken, (e) => seen.push(e.seq)], report: (p) => reports.push(p) });
    log.smartLic('AGENT_READY', {});
    log.smartLic('AGENT_ENABLED', {});
    expect(seen).toEqual([1, 2]);
    expect(log.events()).toHaveLength(2);
    expect(log.sinkFailures(broken)).toBe(2);
    expect(reports).toEqual([
      'event sink collector failed on AGENT_READY (Error: sink down); later failures are only counted',
    ]);
  });
});

describe('DeviceLog cost', () => {
  it('1,000 devices × 40 events stay cheap in time', () => {
    const logs = Array.from(
      { length: 1000 },
      (_, i) => device({ udi: `PID:C9300-24P,SN:FOC${String(i).padStart(8, '0')}` }).log,
    );
    const start = performance.now();
    for (let k = 0; k < 40; k++) {
      for (const log of logs) {
        if (k % 2) log.smartLic('AUTH_RENEW_SUCCESS', {});
        else log.smartLic('COMM_FAILED', { destination: 'CSSM', reason: 'Received empty response from server' });
      }
    }
    // ~2.6 µs per event measured on this machine (README); 25 µs leaves room for a loaded CI runner.
    expect((performance.now() - start) / 40_000).toBeLessThan(25);
  });
});
