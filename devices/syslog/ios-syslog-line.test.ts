import { describe, expect, it } from 'vitest';
import type { Severity, SyslogMessage } from '../events/device-event.ts';
import { UTC } from '../time/ios-time.ts';
import {
  DEFAULT_LOG_SETTINGS,
  formatConsoleLine,
  formatWireMessage,
  parseSyslogFacility,
  syslogPri,
  type LogSettings,
} from './ios-syslog-line.ts';
import { MINUTE } from '#protocol';

const msg = (facility: string, severity: Severity, mnemonic: string, text: string): SyslogMessage => ({
  facility,
  severity,
  mnemonic,
  text,
});
const settings = (patch: Partial<LogSettings> = {}): LogSettings => ({ ...DEFAULT_LOG_SETTINGS, ...patch });
const MAR_1_1993 = Date.UTC(1993, 2, 1);
const READY = msg('SMART_LIC', 6, 'AGENT_READY', 'Smart Agent for Licensing is initialized');

describe('formatConsoleLine', () => {
  it('prints the §5.1 examples: `*` for a clock never set, day space-padded, msec', () => {
    const line = formatConsoleLine(
      { message: READY, seq: 1, deviceTime: MAR_1_1993 + 42_133, timezone: UTC, authoritative: false },
      DEFAULT_LOG_SETTINGS,
    );
    expect(line).toBe('*Mar  1 00:00:42.133: %SMART_LIC-6-AGENT_READY: Smart Agent for Licensing is initialized');
  });

  it('prints the A.6 example: six-digit sequence number, localtime and show-timezone', () => {
    const IST = { name: 'IST', offsetMinutes: 330 };
    const t = Date.UTC(2015, 9, 14, 13, 10, 51, 258) - 330 * MINUTE;
    const line = formatConsoleLine(
      {
        message: msg('LICENSE', 6, 'EULA_ACCEPT_ALL', 'The Right to Use End User License Agreement is accepted'),
        seq: 322,
        deviceTime: t,
        timezone: IST,
        authoritative: true,
      },
      settings({ sequenceNumbers: true, localtime: true, showTimezone: true }),
    );
    expect(line).toBe(
      '000322: Oct 14 13:10:51.258 IST: %LICENSE-6-EULA_ACCEPT_ALL: The Right to Use End User License Agreement is accepted',
    );
  });

  it('without localtime prints UTC even when the device has a zone', () => {
    const EST = { name: 'EST', offsetMinutes: -300 };
    const line = formatConsoleLine(
      { message: READY, seq: 1, deviceTime: MAR_1_1993 + 42_133, timezone: EST, authoritative: true },
      settings({ showTimezone: true }),
    );
    expect(line).toBe('Mar  1 00:00:42.133 UTC: %SMART_LIC-6-AGENT_READY: Smart Agent for Licensing is initialized');
    const local = formatConsoleLine(
      { message: READY, seq: 1, deviceTime: MAR_1_1993 + 42_133, timezone: EST, authoritative: true },
      settings({ showTimezone: true, localtime: true }),
    );
    expect(local).toBe('Feb 28 19:00:42.133 EST: %SMART_LIC-6-AGENT_READY: Smart Agent for Licensing is initialized');
  });

  it('honours no msec, year, sequence numbers past six digits, and no timestamps', () => {
    const input = {
      message: READY,
      seq: 1_234_567,
      deviceTime: MAR_1_1993 + 42_133,
      timezone: UTC,
      authoritative: true,
    };
    expect(formatConsoleLine(input, settings({ msec: false, year: true }))).toBe(
      'Mar  1 1993 00:00:42: %SMART_LIC-6-AGENT_READY: Smart Agent for Licensing is initialized',
    );
    expect(formatConsoleLine(input, settings({ sequenceNumbers: true, timestamps: 'none' }))).toBe(
      '1234567: %SMART_LIC-6-AGENT_READY: Smart Agent for Licensing is initialized',
    );
    expect(formatConsoleLine(input, settings({ timestamps: 'none' }))).toBe(
      '%SMART_LIC-6-AGENT_READY: Smart Agent for Licensing is initialized',
    );
  });
});

describe('syslog PRI', () => {
  it('is facility × 8 + severity; local7 gives 186..190 for severities 2..6 (§5.2)', () => {
    expect([2, 3, 4, 5, 6].map((s) => syslogPri('local7', s as Severity))).toEqual([186, 187, 188, 189, 190]);
    expect(syslogPri('kern', 0)).toBe(0);
    expect(syslogPri('local0', 7)).toBe(135);
  });

  it('parses `logging facility` keywords and lists them when unknown', () => {
    expect(parseSyslogFacility('local5')).toBe('local5');
    expect(() => parseSyslogFacility('local8')).toThrow(
      "unknown syslog facility 'local8'; valid: kern, user, mail, daemon, auth, syslog, lpr, news, uucp, cron, local0,",
    );
    expect(() => parseSyslogFacility('toString')).toThrow("unknown syslog facility 'toString'");
  });
});

describe('formatWireMessage', () => {
  it('reproduces the rsyslog capture `<189>16261: May 28 16:09:56.185: %SYS-5-CONFIG_I: …`', () => {
    const config = msg('SYS', 5, 'CONFIG_I', 'Configured from console by admin on vty0');
    const line = formatConsoleLine(
      {
        message: config,
        seq: 16261,
        deviceTime: Date.UTC(2024, 4, 28, 16, 9, 56, 185),
        timezone: UTC,
        authoritative: true,
      },
      DEFAULT_LOG_SETTINGS,
    );
    expect(formatWireMessage(line, { severity: config.severity, counter: 16261 })).toBe(
      '<189>16261: May 28 16:09:56.185: %SYS-5-CONFIG_I: Configured from console by admin on vty0',
    );
  });

  it('reproduces the origin-id example `<189>52: router1: *Mar  1 00:01:02.345 UTC: %LINK-3-UPDOWN: …`', () => {
    const updown = msg('LINK', 3, 'UPDOWN', 'Interface GigabitEthernet0/0, changed state to down');
    const line = formatConsoleLine(
      { message: updown, seq: 52, deviceTime: MAR_1_1993 + 62_345, timezone: UTC, authoritative: false },
      settings({ showTimezone: true }),
    );
    // The reference's example pairs <189> (severity 5) with a severity-3 tag; a device sends the tag's severity.
    expect(formatWireMessage(line, { severity: 5, counter: 52, originId: 'router1' })).toBe(
      '<189>52: router1: *Mar  1 00:01:02.345 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet0/0, changed state to down',
    );
    expect(formatWireMessage(line, { severity: updown.severity, counter: 52, originId: 'router1' })).toMatch(
      /^<187>52: router1: \*Mar {2}1 /,
    );
  });

  it('uses the configured facility', () => {
    expect(formatWireMessage('%X-6-Y: z', { severity: 6, facility: 'local0', counter: 1 })).toBe('<134>1: %X-6-Y: z');
  });
});
