/**
 * A device's remote logging configuration, IOS style: `logging host <ip> [transport udp|tcp|tls [port N]]`,
 * `logging trap <level>`, `logging facility <facility>`, `logging origin-id hostname|ip|string <text>`.
 * Part of the running configuration; `write memory` saves it. Plain JSON (it crosses worker threads).
 */
import type { Severity } from '../events/device-event.ts';
import { IPV4 } from '../ipv4.ts';
import { parseSyslogFacility, type SyslogFacility } from './ios-syslog-line.ts';
import type { SyslogTransport } from './syslog-sender.ts';

export interface LoggingHost {
  address: string;
  transport: SyslogTransport;
  port: number;
  /** The lab's offer for structured collectors (rfc5424-message.ts); IOS sends `ios`. */
  format?: 'ios' | 'rfc5424';
}

export type OriginId = { type: 'hostname' } | { type: 'ip' } | { type: 'string'; text: string };

export interface LoggingConfig {
  hosts: LoggingHost[];
  /** `logging trap`: the highest severity sent to the hosts (IOS default informational). */
  trap: Severity;
  facility: SyslogFacility;
  originId?: OriginId;
}

export const SEVERITY_NAMES = [
  'emergencies',
  'alerts',
  'critical',
  'errors',
  'warnings',
  'notifications',
  'informational',
  'debugging',
] as const;

export type SeverityName = (typeof SEVERITY_NAMES)[number];

/** IOS default ports: 514/udp, 601/tcp (IANA syslog-conn), 6514/tls (RFC 5425). */
export const DEFAULT_PORTS: Readonly<Record<SyslogTransport, number>> = { udp: 514, tcp: 601, tls: 6514 };

export const DEFAULT_LOGGING: Readonly<LoggingConfig> = Object.freeze({
  hosts: Object.freeze([]) as unknown as LoggingHost[],
  trap: 6,
  facility: 'local7',
});

/** `logging trap 4` or `logging trap warnings`. */
export function parseSeverity(value: string): Severity {
  const index = /^[0-7]$/.test(value) ? Number(value) : SEVERITY_NAMES.indexOf(value as SeverityName);
  if (index < 0) throw new Error(`unknown logging level '${value}'; valid: 0-7 or ${SEVERITY_NAMES.join(', ')}`);
  return index as Severity;
}

const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-.]{0,251}[A-Za-z0-9])?$/;

/** A `logging host` entry from the topology or the lab; the error names what is wrong. */
function checkLoggingHost(host: {
  address: string;
  transport?: string | undefined;
  port?: number | undefined;
  format?: string | undefined;
}): LoggingHost {
  if (!IPV4.test(host.address) && !HOSTNAME.test(host.address))
    throw new Error(`logging host "${host.address}" is not an IPv4 address or a host name`);
  const transport = host.transport ?? 'udp';
  if (transport !== 'udp' && transport !== 'tcp' && transport !== 'tls')
    throw new Error(`logging host transport must be udp, tcp or tls, got "${transport}"`);
  const port = host.port ?? DEFAULT_PORTS[transport];
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`logging host port must be from 1 to 65535, got ${port}`);
  const format = host.format ?? 'ios';
  if (format !== 'ios' && format !== 'rfc5424')
    throw new Error(`logging host format must be ios or rfc5424, got "${format}"`);
  return { address: host.address, transport, port, ...(format === 'rfc5424' ? { format } : {}) };
}

export function checkLoggingConfig(value: {
  hosts?: Parameters<typeof checkLoggingHost>[0][] | undefined;
  trap?: string | number | undefined;
  facility?: string | undefined;
  originId?: string | undefined;
}): LoggingConfig {
  const config: LoggingConfig = {
    hosts: (value.hosts ?? []).map(checkLoggingHost),
    trap: value.trap === undefined ? DEFAULT_LOGGING.trap : parseSeverity(String(value.trap)),
    facility: value.facility === undefined ? DEFAULT_LOGGING.facility : parseSyslogFacility(value.facility),
  };
  if (value.originId !== undefined) config.originId = parseOriginId(value.originId);
  return config;
}

/** `hostname`, `ip`, or `string <text>` as the topology writes it. */
function parseOriginId(value: string): OriginId {
  if (value === 'hostname' || value === 'ip') return { type: value };
  const text = /^string\s+(\S.*)$/.exec(value)?.[1];
  if (text !== undefined) return { type: 'string', text };
  throw new Error(`logging origin-id must be hostname, ip or "string <text>", got "${value}"`);
}

/** The origin-id a message carries, or none. */
export function originIdText(originId: OriginId | undefined, hostname: string, address: string): string | undefined {
  if (!originId) return undefined;
  return originId.type === 'hostname' ? hostname : originId.type === 'ip' ? address : originId.text;
}

/** Hosts a new configuration stops (in their old order), then the ones it starts: each a LOGGINGHOST_STARTSTOP. */
export function loggingHostChanges(
  before: readonly LoggingHost[],
  after: readonly LoggingHost[],
): (LoggingHost & { started: boolean })[] {
  const key = (h: { address: string; port: number }) => `${h.address}:${h.port}`;
  const was = new Set(before.map(key));
  const now = new Set(after.map(key));
  return [
    ...before.filter((h) => !now.has(key(h))).map((h) => ({ ...h, started: false })),
    ...after.filter((h) => !was.has(key(h))).map((h) => ({ ...h, started: true })),
  ];
}
