/**
 * A DeviceEvent as an RFC 5424 message, for collectors that want structured syslog (IOS XE has no
 * documented RFC 5424 mode, smart-licensing.md §5.2: this is the lab's offer, not a device capture):
 * `<PRI>1 TIMESTAMP HOSTNAME APP-NAME - MSGID [meta sequenceId][origin ip software swVersion][udi@9 pid sn] MSG`.
 * APP-NAME is the IOS facility (`SMART_LIC`), MSGID the `FAC-SEV-MNEMONIC` tag, MSG the `%TAG: text` IOS
 * prints; `meta` and `origin` are the IANA-registered SD-IDs, `udi@9` is under Cisco's enterprise number 9.
 */
import type { DeviceEvent } from '../events/device-event.ts';
import { syslogPri, type SyslogFacility } from './ios-syslog-line.ts';

export interface Rfc5424Options {
  facility: SyslogFacility;
  /** The device's wire counter (meta sequenceId: a receiver finds gaps by it). */
  counter: number;
  /** The device's address (origin ip). */
  address: string;
  /** Software version (origin swVersion), e.g. `17.9.4`. */
  release: string;
}

/** RFC 5424 §6.3.3: inside PARAM-VALUE, `"`, `\` and `]` are escaped with a backslash. */
const escapeParam = (value: string): string => value.replace(/["\\\]]/g, (c) => `\\${c}`);

/** HOSTNAME, APP-NAME and MSGID are PRINTUSASCII without spaces; anything else becomes `_`. */
const printable = (value: string, max: number): string => value.replace(/[^\x21-\x7e]/g, '_').slice(0, max) || '-';

function udiParts(udi: string): { pid: string; sn: string } {
  const match = /^PID:([^,]*),SN:(.*)$/.exec(udi);
  return { pid: match?.[1] ?? udi, sn: match?.[2] ?? '' };
}

export function formatRfc5424(event: DeviceEvent, options: Rfc5424Options): string {
  const { facility: fac, severity, mnemonic, text } = event.syslog;
  const pri = syslogPri(options.facility, severity);
  const { pid, sn } = udiParts(event.udi);
  const sd =
    `[meta sequenceId="${options.counter}"]` +
    `[origin ip="${escapeParam(options.address)}" software="IOS-XE" swVersion="${escapeParam(options.release)}"]` +
    `[udi@9 pid="${escapeParam(pid)}" sn="${escapeParam(sn)}"]`;
  const tag = `${fac}-${severity}-${mnemonic}`;
  return [
    `<${pri}>1`,
    new Date(event.deviceTime).toISOString(),
    printable(event.device, 255),
    printable(fac, 48),
    '-',
    printable(tag, 32),
    `${sd} %${tag}: ${text}`,
  ].join(' ');
}
