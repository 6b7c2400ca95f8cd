/**
 * Until devices carry their own `logging host` configuration, the lab sends every device's messages to
 * the lab's syslog hosts in the IOS wire layout, `logging origin-id hostname` style: all devices of a lab
 * (or a shard) share one source address, so the hostname in the message is what tells them apart. The
 * counter after `<PRI>` is the device's sequence number, so a collector sees every lost message as a gap.
 */
import { formatWireMessage, SyslogSender, type DeviceEvent, type SyslogHost } from '#devices';

export function parseSyslogHost(value: string, flag = '--syslog'): SyslogHost {
  const match = /^(udp:|tcp:)?([^:\s]+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535)
    throw new Error(`${flag} must be [udp:|tcp:]HOST:PORT with a port from 1 to 65535, got "${value}"`);
  return { transport: match[1] === 'tcp:' ? 'tcp' : 'udp', address: match[2]!, port };
}

/** A sink sending each event to every host; the sender counts what it could not send. */
export function syslogForwarder(sender: SyslogSender, hosts: readonly SyslogHost[]): (event: DeviceEvent) => void {
  return (event) => {
    const message = formatWireMessage(event.line, {
      severity: event.syslog.severity,
      counter: event.seq,
      originId: event.device,
    });
    for (const host of hosts) sender.send(host, message);
  };
}
