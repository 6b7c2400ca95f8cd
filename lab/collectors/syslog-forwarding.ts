/**
 * How a lab's devices reach the wire: one shared SyslogSender, each device's own `logging host`s, and the
 * lab's hosts (its collector, `--syslog`) that get every device's messages whatever its configuration
 * (devices/syslog/syslog-output.ts formats and paces them).
 */
import type { SyslogHost, SyslogSender, SyslogWire } from '#devices';

export function parseSyslogHost(value: string, flag = '--syslog'): SyslogHost {
  const match = /^(udp:|tcp:|tls:)?([^:\s]+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535)
    throw new Error(`${flag} must be [udp:|tcp:|tls:]HOST:PORT with a port from 1 to 65535, got "${value}"`);
  const transport = match[1] === undefined ? 'udp' : (match[1].slice(0, -1) as SyslogHost['transport']);
  return { transport, address: match[2]!, port };
}

export function syslogWire(sender: SyslogSender, labHosts: readonly SyslogHost[]): SyslogWire {
  return { send: (host, message) => sender.send(host, message), labHosts };
}
