/**
 * How IOS prints a message (smart-licensing.md §5.1) and sends it to a `logging host` (§5.2).
 * Console: `[<seq>: ]<timestamp>: %FAC-SEV-MNEMONIC: text`. Wire: `<PRI><counter>: [<origin-id>: ]<console line>`.
 */
import type { Severity, SyslogMessage } from '../events/device-event.ts';
import { formatSyslogTimestamp, UTC, type Timezone } from '../time/ios-time.ts';
import { messageTag } from './message-definition.ts';

/** `service sequence-numbers` and `service timestamps log …` as configured. */
export interface LogSettings {
  /** `service sequence-numbers` (IOS default: off). */
  sequenceNumbers: boolean;
  /** `service timestamps log datetime …` (IOS XE default) or `no service timestamps log`. */
  timestamps: 'datetime' | 'none';
  msec: boolean;
  /** Print the device's `clock timezone` time; otherwise UTC. */
  localtime: boolean;
  showTimezone: boolean;
  year: boolean;
}

/** IOS XE factory configuration: `service timestamps log datetime msec`, no sequence numbers. */
export const DEFAULT_LOG_SETTINGS: Readonly<LogSettings> = Object.freeze({
  sequenceNumbers: false,
  timestamps: 'datetime',
  msec: true,
  localtime: false,
  showTimezone: false,
  year: false,
});

export interface ConsoleLineInput {
  message: SyslogMessage;
  seq: number;
  /** Device clock, epoch ms. */
  deviceTime: number;
  /** The device's `clock timezone` (used with `localtime`). */
  timezone: Timezone;
  /** False prints the `*` of a clock never set or synced. */
  authoritative: boolean;
}

/** `000322: ` — IOS pads sequence numbers to six digits (A.6 example `000322: Oct 14 13:10:51.258 IST:`). */
function sequencePrefix(seq: number): string {
  return `${String(seq).padStart(6, '0')}: `;
}

/** The line as the console and `show logging` print it. */
export function formatConsoleLine(input: ConsoleLineInput, settings: Readonly<LogSettings>): string {
  const seq = settings.sequenceNumbers ? sequencePrefix(input.seq) : '';
  const time =
    settings.timestamps === 'none'
      ? ''
      : `${formatSyslogTimestamp(input.deviceTime, settings.localtime ? input.timezone : UTC, {
          authoritative: input.authoritative,
          msec: settings.msec,
          year: settings.year,
          showTimezone: settings.showTimezone,
        })}: `;
  // join() gives one flat string; a template literal keeps a tree of pieces, about twice the memory
  // for a line kept in every device's buffer.
  return [seq, time, messageTag(input.message), ': ', input.message.text].join('');
}

/** RFC 3164 facility codes of the IOS `logging facility` keywords. */
export const SYSLOG_FACILITIES = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
} as const;
export type SyslogFacility = keyof typeof SYSLOG_FACILITIES;

/** `logging facility` default (§5.2). */
const DEFAULT_SYSLOG_FACILITY: SyslogFacility = 'local7';

/** Checks a `logging facility` keyword; the error lists the valid ones. */
export function parseSyslogFacility(name: string): SyslogFacility {
  if (Object.hasOwn(SYSLOG_FACILITIES, name)) return name as SyslogFacility;
  throw new Error(`unknown syslog facility '${name}'; valid: ${Object.keys(SYSLOG_FACILITIES).join(', ')}`);
}

/** `<PRI>` value: facility × 8 + severity (local7 + notifications = 189). */
export function syslogPri(facility: SyslogFacility, severity: Severity): number {
  return SYSLOG_FACILITIES[facility] * 8 + severity;
}

export interface WireOptions {
  severity: Severity;
  facility?: SyslogFacility;
  /** The counter IOS puts after `<PRI>` (present in every capture, with or without `service sequence-numbers`). */
  counter: number;
  /** `logging origin-id hostname` (or string/ip): printed before the timestamp. */
  originId?: string;
}

/**
 * The UDP/TCP payload for a `logging host`: `<189>16261: May 28 16:09:56.185: %SYS-5-CONFIG_I: …`,
 * with origin-id `<189>52: router1: *Mar  1 00:01:02.345 UTC: %LINK-3-UPDOWN: …` (§5.2, rsyslog captures).
 * Not RFC 3164: no HOSTNAME/TAG fields, the `%FAC-SEV-MNEMONIC` acts as the tag.
 */
export function formatWireMessage(consoleLine: string, options: WireOptions): string {
  const pri = syslogPri(options.facility ?? DEFAULT_SYSLOG_FACILITY, options.severity);
  const origin = options.originId === undefined ? '' : `${options.originId}: `;
  return `<${pri}>${options.counter}: ${origin}${consoleLine}`;
}
